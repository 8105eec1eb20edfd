package io.podidentity.identity;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Role ARN completion ({@code --compose-role-arn}) and validation.
 *
 * @param compose whether values without {@code arn:} are completed
 * @param partition the partition of composed ARNs, e.g. {@code aws}
 * @param accountId the account of composed ARNs
 */
public record RoleArns(boolean compose, String partition, String accountId) {

    private static final Pattern VALID = Pattern.compile("^arn:aws[a-z0-9-]*:iam::\\d{12}:role/[\\w/.@+=,-]+$");

    public static RoleArns plain() {
        return new RoleArns(false, "", "");
    }

    /** The partition a region belongs to, from its prefix. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        if (region.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        if (region.startsWith("us-iso-")) {
            return "aws-iso";
        }
        if (region.startsWith("eusc-")) {
            return "aws-eusc";
        }
        return "aws";
    }

    /**
     * Completes a bare role name when composing is on, then checks the result; a malformed ARN is
     * still used (as upstream does) but reported.
     *
     * @param source names where the value came from, for the warning
     */
    public String resolve(String value, String source, List<String> warnings) {
        String arn = value;
        if (compose && !value.contains("arn:")) {
            arn = "arn:" + partition + ":iam::" + accountId + ":role/" + value;
        }
        return check(arn, source, warnings);
    }

    /** Checks an ARN used as given (ConfigMap entries: upstream never composes those). */
    public static String check(String arn, String source, List<String> warnings) {
        if (!VALID.matcher(arn).matches()) {
            warnings.add(source + ": \"" + arn + "\" is not a valid IAM role ARN (expected "
                    + "arn:<partition>:iam::<12-digit account>:role/<name>); using it anyway");
        }
        return arn;
    }
}
