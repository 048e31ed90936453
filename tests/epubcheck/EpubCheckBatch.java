// One EPUBCheck JVM for many books: reads lines "EPUB<TAB>JSON-REPORT" on stdin, checks each book
// with EPUBCheck's own command-line tool (in this process: no JVM start per book), writes the
// JSON report where asked and prints the tool's exit code, one line per book.
// Run with Java's source launcher: java -cp epubcheck.jar EpubCheckBatch.java
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckBatch {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(quiet);  // the tool's own progress lines
        System.setErr(quiet);
        String line;
        while ((line = in.readLine()) != null) {
            String[] job = line.split("\t", 2);
            int code;
            try {
                code = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {job[0], "-q", "--json", job[1]});
            } catch (Throwable failure) {
                code = 99;
            }
            answers.println(code);
        }
    }
}
