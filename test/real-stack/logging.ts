import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * JVM flags that send a Kafka JVM's log to its stdout at `level`, for Kafka 3.x (reload4j)
 * and 4.x (log4j 2) alike: each reads only its own property.
 */
export function loggingFlags(dir: string, name: string, level: 'INFO' | 'WARN'): string[] {
  const pattern = '[%d] %p %m (%c)%n';
  const log4j = join(dir, `${name}.log4j.properties`);
  writeFileSync(
    log4j,
    [
      `log4j.rootLogger=${level}, stdout`,
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      `log4j.appender.stdout.layout.ConversionPattern=${pattern}`,
      '',
    ].join('\n'),
  );
  const log4j2 = join(dir, `${name}.log4j2.properties`);
  writeFileSync(
    log4j2,
    [
      `rootLogger.level=${level}`,
      'rootLogger.appenderRef.stdout.ref=STDOUT',
      'appender.stdout.type=Console',
      'appender.stdout.name=STDOUT',
      'appender.stdout.layout.type=PatternLayout',
      `appender.stdout.layout.pattern=${pattern}`,
      '',
    ].join('\n'),
  );
  return [`-Dlog4j.configuration=file:${log4j}`, `-Dlog4j2.configurationFile=${log4j2}`, `-Dkafka.logs.dir=${dir}`];
}
