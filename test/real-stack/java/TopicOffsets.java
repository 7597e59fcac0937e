import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.TopicPartition;

/**
 * What a Kafka cluster holds, asked of the cluster itself: every topic with the sum of its
 * partitions' end offsets (records written), one "topic offsets" per line. Run as
 * `java -cp 'jars/kafka-x/*' TopicOffsets.java <bootstrap>` (JDK 11+ single-file source).
 */
public class TopicOffsets {
  public static void main(String[] args) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) args[0]))) {
      Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values())
        d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      Map<String, Long> sums = new TreeMap<>();
      for (String n : names) sums.put(n, 0L);
      admin.listOffsets(latest).all().get().forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
      sums.forEach((t, n) -> System.out.println(t + " " + n));
    }
  }
}
