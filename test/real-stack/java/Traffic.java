import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.quota.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.*;

/**
 * The business traffic of the real-stack suite, run as `java -cp 'jars/kafka-x/*' Traffic.java`
 * (JDK 11+ single-file source): a producer writing round-robin to every partition of the given
 * topics at a steady rate, and a consumer group reading them and committing offsets every
 * second, so that MirrorCheckpointConnector has offsets to translate.
 *
 * Args: bootstrap topics(name:partitions, comma-separated; created if missing) recordsPerSecond group.
 * Commands on stdin, one a line: "rate N" changes the producer's rate; "throttle-consumers B"
 * sets a default consumer byte-rate quota on the cluster (B bytes/s, "off" removes it), which
 * slows MM2's replication consumers below the producer's rate (the lag fault).
 * Prints one status line every 5 s.
 */
public class Traffic {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    Map<String, Integer> wanted = new LinkedHashMap<>();
    for (String t : args[1].split(",")) wanted.put(t.split(":")[0], Integer.parseInt(t.split(":")[1]));
    List<String> topics = new ArrayList<>(wanted.keySet());
    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrap));
    Set<String> existing = admin.listTopics().names().get();
    List<NewTopic> create = new ArrayList<>();
    for (Map.Entry<String, Integer> e : wanted.entrySet()) if (!existing.contains(e.getKey())) create.add(new NewTopic(e.getKey(), e.getValue(), (short) 1));
    if (!create.isEmpty()) admin.createTopics(create).all().get();
    AtomicLong rate = new AtomicLong(Long.parseLong(args[2]));
    String group = args[3];

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    pp.put(ProducerConfig.CLIENT_ID_CONFIG, "real-stack-traffic");
    KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer());

    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
    cp.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "1000");
    AtomicLong consumed = new AtomicLong();
    Thread consumer = new Thread(() -> {
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
        c.subscribe(topics);
        while (!Thread.currentThread().isInterrupted()) consumed.addAndGet(c.poll(Duration.ofMillis(500)).count());
      } catch (org.apache.kafka.common.errors.InterruptException e) {
        // stopping
      }
    }, "consumer");
    consumer.setDaemon(true);
    consumer.start();

    Thread control = new Thread(() -> {
      Scanner in = new Scanner(System.in);
      while (in.hasNextLine()) {
        String[] cmd = in.nextLine().trim().split("\\s+");
        try {
          if (cmd[0].equals("rate")) rate.set(Long.parseLong(cmd[1]));
          if (cmd[0].equals("throttle-consumers")) {
            ClientQuotaEntity all = new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null));
            Double limit = cmd[1].equals("off") ? null : Double.valueOf(cmd[1]);
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(all, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", limit))))).all().get();
          }
          System.out.println("done " + String.join(" ", cmd));
        } catch (Exception e) {
          System.out.println("failed " + String.join(" ", cmd) + ": " + e);
        }
      }
    }, "control");
    control.setDaemon(true);
    control.start();

    Map<String, Integer> partitions = new HashMap<>();
    for (String t : topics) partitions.put(t, producer.partitionsFor(t).size());
    AtomicLong sent = new AtomicLong(), failed = new AtomicLong();
    long seq = 0, start = System.nanoTime(), lastReport = System.currentTimeMillis(), budgetStart = start;
    long emitted = 0;
    while (true) {
      long now = System.nanoTime();
      long due = (now - budgetStart) / 1_000_000 * rate.get() / 1000;
      if (emitted >= due) {
        Thread.sleep(5);
        if (System.nanoTime() - budgetStart > 10_000_000_000L) { budgetStart = System.nanoTime(); emitted = 0; }
      } else {
        String t = topics.get((int) (seq % topics.size()));
        int p = (int) ((seq / topics.size()) % partitions.get(t));
        producer.send(new ProducerRecord<>(t, p, "k" + seq, "record " + seq + " of real-stack traffic"), (md, e) -> {
          if (e == null) sent.incrementAndGet(); else failed.incrementAndGet();
        });
        seq++;
        emitted++;
      }
      if (System.currentTimeMillis() - lastReport >= 5000) {
        lastReport = System.currentTimeMillis();
        System.out.println("sent " + sent.get() + " failed " + failed.get() + " consumed " + consumed.get() + " rate " + rate.get());
      }
    }
  }
}
