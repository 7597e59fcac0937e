import javax.tools.ToolProvider;

/**
 * The JDK's compiler, for the suite's own Java classes that the workers load (the JDK's
 * single-file launcher compiles in memory only): `java Compile.java <javac arguments>`.
 * Needs the jdk.compiler module, as the single-file launcher itself does.
 */
public class Compile {
  public static void main(String[] args) {
    System.exit(ToolProvider.getSystemJavaCompiler().run(null, null, null, args));
  }
}
