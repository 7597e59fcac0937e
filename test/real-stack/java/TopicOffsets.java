import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * How many records each topic of a cluster holds: one line per topic, "<topic>\t<sum of the
 * partitions' end offsets>", run as `java -cp 'jars/kafka-x/*' TopicOffsets.java <bootstrap>`.
 * The real-stack runs read it to see which cluster a flow's records landed in.
 */
public class TopicOffsets {
  public static void main(String[] args) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) args[0]))) {
      Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values())
        for (TopicPartitionInfo p : d.partitions()) latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
      Map<String, Long> records = new TreeMap<>();
      for (String n : names) records.put(n, 0L);
      admin.listOffsets(latest).all().get().forEach((tp, info) -> records.merge(tp.topic(), info.offset(), Long::sum));
      records.forEach((topic, n) -> System.out.println(topic + "\t" + n));
    }
  }
}
