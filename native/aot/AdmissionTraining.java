import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client of the JVM image's training run (native/aot/train.sh): sends the webhook the
 * admissions kube-apiserver would, over TLS and HTTP/2, while the webhook records its AOT cache.
 * Every answer must carry a patch, so an image whose webhook does not mutate fails its build.
 *
 * <p>Usage: {@code java AdmissionTraining URL REVIEW_FILE CA_FILE COUNT}
 */
public final class AdmissionTraining {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        byte[] review = Files.readAllBytes(Path.of(args[1]));
        int count = Integer.parseInt(args[3]);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2])))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(review)).build();
        // The webhook is starting: wait for it (up to two minutes, as an emulated build can be slow).
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        HttpResponse<String> first = null;
        while (first == null) {
            try {
                first = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer from " + url + " within two minutes", e);
                }
                Thread.sleep(100);
            }
        }
        for (int i = 1; i <= count; i++) {
            HttpResponse<String> answer = i == 1 ? first : client.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 || !answer.body().contains("\"patch\"")) {
                throw new IllegalStateException("admission " + i + ": " + answer.statusCode() + " " + answer.body());
            }
        }
        System.out.println("training: " + count + " admissions mutated by " + url);
    }
}
