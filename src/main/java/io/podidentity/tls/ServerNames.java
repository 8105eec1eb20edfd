package io.podidentity.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/** The DNS names and IP addresses a serving certificate must be valid for. */
record ServerNames(List<String> dnsNames, List<String> ipAddresses) {

    ServerNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        if (dnsNames.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS name is required for the serving certificate");
        }
        for (String name : dnsNames) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("blank DNS name in " + dnsNames);
            }
        }
        for (String address : ipAddresses) {
            if (!IPAddress.isValid(address)) {
                throw new IllegalArgumentException("not an IP address: \"" + address + "\"");
            }
        }
    }

    /** The subject CN: clients match on the SAN, but people reading the certificate look here. */
    String commonName() {
        return dnsNames.get(0);
    }

    GeneralNames toGeneralNames() {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ipAddresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** Whether every name here appears in the certificate's subjectAltName. */
    boolean coveredBy(X509Certificate certificate) {
        List<String> presentDns = new ArrayList<>();
        List<InetAddress> presentIps = new ArrayList<>();
        for (List<?> entry : subjectAltNames(certificate)) {
            int type = (Integer) entry.get(0);
            if (type == GeneralName.dNSName) {
                presentDns.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
            } else if (type == GeneralName.iPAddress) {
                presentIps.add(literal((String) entry.get(1)));
            }
        }
        return dnsNames.stream().allMatch(name -> presentDns.contains(name.toLowerCase(Locale.ROOT)))
                && ipAddresses.stream().map(ServerNames::literal).allMatch(presentIps::contains);
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            return Objects.requireNonNullElse(certificate.getSubjectAlternativeNames(), List.of());
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** Compares addresses, not spellings: the JDK prints {@code ::1} as {@code 0:0:0:0:0:0:0:1}. */
    private static InetAddress literal(String address) {
        try {
            // Only called with literals (checked above or read from a certificate), so no DNS lookup.
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: \"" + address + "\"", e);
        }
    }
}
