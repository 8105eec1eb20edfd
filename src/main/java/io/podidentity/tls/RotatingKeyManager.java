package io.podidentity.tls;

import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose certificate and key can be replaced while the server runs: every TLS
 * handshake asks the current delegate. Swapping it changes nothing else, so no connection, open
 * or being accepted, is disturbed by a rotation. Aliases carry the generation they were chosen
 * from, so a handshake that straddles a swap still gets its chain and key from the same pair.
 */
public final class RotatingKeyManager extends X509ExtendedKeyManager {

    /**
     * The key store never leaves memory, so its password protects nothing: one PBE iteration
     * instead of PKCS#12's default 10,000 to encrypt the key and 10,000 more to decrypt it. Those
     * cost the native executable about 60 ms of its startup, and as much at every reload.
     */
    private static final KeyStore.PasswordProtection IN_MEMORY = new KeyStore.PasswordProtection(
            "in-memory".toCharArray(), "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(new byte[16], 1));

    private volatile Generation current;
    private volatile Generation previous;

    private record Generation(int number, Loaded loaded) {
        String tag(String alias) {
            return alias == null ? null : number + ":" + alias;
        }
    }

    /** One loaded certificate chain and key. */
    public record Loaded(KeyStore keyStore, X509ExtendedKeyManager manager, X509Certificate leaf) {}

    public RotatingKeyManager(Loaded initial) {
        this.current = new Generation(0, initial);
        this.previous = current;
    }

    /**
     * A checked pair ({@link PemFiles#readKeyPair}, {@link PemFiles.Contents#keyPair}) made ready to serve.
     *
     * @param key the key's file, named if the JDK cannot store the key
     */
    public static Loaded load(PemFiles.KeyPair pair, Path key) {
        List<X509Certificate> chain = pair.chain();
        PrivateKey privateKey = pair.privateKey();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setEntry("webhook", new KeyStore.PrivateKeyEntry(privateKey, chain.toArray(new X509Certificate[0])), IN_MEMORY);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY.getPassword());
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509ExtendedKeyManager x509) {
                    return new Loaded(store, x509, chain.get(0));
                }
            }
            throw new IllegalStateException("the JDK offered no X.509 key manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("--tls-key " + key + " cannot be used: " + e.getMessage());
        }
    }

    public Loaded current() {
        return current.loaded();
    }

    public synchronized void replace(Loaded next) {
        previous = current;
        current = new Generation(current.number() + 1, next);
    }

    /** The generation an alias was chosen from, and the delegate's own alias. */
    private X509ExtendedKeyManager managerOf(String alias) {
        Generation now = current;
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon > 0) {
            String number = alias.substring(0, colon);
            Generation before = previous;
            if (Integer.toString(before.number()).equals(number) && !Integer.toString(now.number()).equals(number)) {
                return before.loaded().manager();
            }
        }
        return now.loaded().manager();
    }

    private static String untag(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        return colon > 0 ? alias.substring(colon + 1) : alias;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // a server certificate only
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation now = current;
        String[] aliases = now.loaded().manager().getServerAliases(keyType, issuers);
        if (aliases == null) {
            return null;
        }
        return java.util.Arrays.stream(aliases).map(now::tag).toArray(String[]::new);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation now = current;
        return now.tag(now.loaded().manager().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation now = current;
        return now.tag(now.loaded().manager().chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return managerOf(alias).getCertificateChain(untag(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return managerOf(alias).getPrivateKey(untag(alias));
    }
}
