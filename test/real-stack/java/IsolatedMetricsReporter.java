import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsContext;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * The Strimzi Metrics Reporter loaded from its own jars in a class loader of its own, for the
 * suite's workers, which run it beside the JMX exporter agent. The agent (1.0.1) carries
 * client_java unshaded on the JVM's class path: a reporter loaded from the same class path would
 * share client_java's default registry with it, and each endpoint would serve both collectors
 * (and fail on the metric names they both serve). Here the reporter and its client_java are
 * loaded child-first from the folder named by the system property mm2.metrics.reporter.jars,
 * once per JVM, as Connect's plugin isolation loads a plugin; Kafka's classes come from the
 * worker's. Every call goes to the reporter unchanged, so it reads the settings the bundle
 * generates (prometheus.metrics.reporter.*) and serves what it would serve alone.
 *
 * Compiled by the suite (Compile.java) into a folder on the workers' class path; named in place
 * of io.strimzi.kafka.metrics.KafkaPrometheusMetricsReporter in the generated settings.
 */
public class IsolatedMetricsReporter implements MetricsReporter {
  private static final String REPORTER = "io.strimzi.kafka.metrics.KafkaPrometheusMetricsReporter";
  private static ClassLoader loader;

  private final MetricsReporter reporter;

  public IsolatedMetricsReporter() throws Exception {
    reporter = (MetricsReporter) loader().loadClass(REPORTER).getDeclaredConstructor().newInstance();
  }

  private static synchronized ClassLoader loader() throws Exception {
    if (loader != null) return loader;
    String dir = System.getProperty("mm2.metrics.reporter.jars");
    File[] jars = dir == null ? null : new File(dir).listFiles((d, name) -> name.endsWith(".jar"));
    if (jars == null || jars.length == 0) throw new IllegalStateException("no Strimzi Metrics Reporter jars in -Dmm2.metrics.reporter.jars=" + dir);
    List<URL> urls = new ArrayList<>();
    for (File jar : jars) urls.add(jar.toURI().toURL());
    loader = new URLClassLoader(urls.toArray(new URL[0]), IsolatedMetricsReporter.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("io.prometheus.") && !name.startsWith("io.strimzi.")) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) c = findClass(name);
          if (resolve) resolveClass(c);
          return c;
        }
      }
    };
    return loader;
  }

  @Override
  public void configure(Map<String, ?> configs) {
    reporter.configure(configs);
  }

  @Override
  public void init(List<KafkaMetric> metrics) {
    reporter.init(metrics);
  }

  @Override
  public void metricChange(KafkaMetric metric) {
    reporter.metricChange(metric);
  }

  @Override
  public void metricRemoval(KafkaMetric metric) {
    reporter.metricRemoval(metric);
  }

  @Override
  public void close() {
    reporter.close();
  }

  @Override
  public Set<String> reconfigurableConfigs() {
    return reporter.reconfigurableConfigs();
  }

  @Override
  public void validateReconfiguration(Map<String, ?> configs) {
    reporter.validateReconfiguration(configs);
  }

  @Override
  public void reconfigure(Map<String, ?> configs) {
    reporter.reconfigure(configs);
  }

  @Override
  public void contextChange(MetricsContext metricsContext) {
    reporter.contextChange(metricsContext);
  }
}
