import java.util.*;
import javax.management.*;
import javax.management.remote.*;

/**
 * Records the MBeans a running JVM registers, as the JMX exporter reads them: for every
 * ObjectName matching the patterns, the domain, the key properties in the order of
 * getKeyPropertyListString() (the exporter's match-string order), and every readable attribute
 * with a numeric, boolean or string value. Prints one JSON array on stdout.
 *
 * Run as `java -cp 'jars/kafka-x/*' MBeanDump.java <jmx-host:port> <objectNamePattern>...`.
 */
public class MBeanDump {
  public static void main(String[] args) throws Exception {
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + args[0] + "/jmxrmi");
    try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      TreeSet<String> names = new TreeSet<>();
      Map<String, ObjectName> byName = new HashMap<>();
      for (int i = 1; i < args.length; i++) {
        for (ObjectName n : server.queryNames(new ObjectName(args[i]), null)) {
          names.add(n.toString());
          byName.put(n.toString(), n);
        }
      }
      StringBuilder out = new StringBuilder("[\n");
      boolean first = true;
      for (String key : names) {
        ObjectName n = byName.get(key);
        MBeanInfo info;
        try {
          info = server.getMBeanInfo(n);
        } catch (InstanceNotFoundException e) {
          continue; // unregistered meanwhile (a task moving)
        }
        for (MBeanAttributeInfo a : info.getAttributes()) {
          if (!a.isReadable()) continue;
          Object v;
          try {
            v = server.getAttribute(n, a.getName());
          } catch (Exception e) {
            continue;
          }
          String value;
          if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            value = Double.isNaN(d) ? "\"NaN\"" : Double.isInfinite(d) ? (d > 0 ? "\"+Inf\"" : "\"-Inf\"") : Double.toString(d);
          } else if (v instanceof Boolean) {
            value = v.toString();
          } else if (v instanceof String) {
            value = json((String) v);
          } else {
            continue;
          }
          out.append(first ? "" : ",\n").append("{\"domain\":").append(json(n.getDomain())).append(",\"properties\":[");
          List<String[]> props = properties(n.getKeyPropertyListString());
          for (int i = 0; i < props.size(); i++) {
            out.append(i == 0 ? "" : ",").append("[").append(json(props.get(i)[0])).append(",").append(json(props.get(i)[1])).append("]");
          }
          out.append("],\"attribute\":").append(json(a.getName())).append(",\"value\":").append(value).append("}");
          first = false;
        }
      }
      System.out.println(out.append("\n]"));
    }
  }

  /** Splits "k1=v1,k2=\"a,b\"" into pairs, keeping quoted values (and their quotes) whole. */
  static List<String[]> properties(String list) {
    List<String[]> out = new ArrayList<>();
    int i = 0;
    while (i < list.length()) {
      int eq = list.indexOf('=', i);
      String k = list.substring(i, eq);
      int j = eq + 1;
      if (j < list.length() && list.charAt(j) == '"') {
        j++;
        while (list.charAt(j) != '"') j += list.charAt(j) == '\\' ? 2 : 1;
        j++;
      } else {
        while (j < list.length() && list.charAt(j) != ',') j++;
      }
      out.add(new String[] {k, list.substring(eq + 1, j)});
      i = j + 1;
    }
    return out;
  }

  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
