package io.podidentity.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Partition from region, bare role name completion and ARN validation. */
class RoleArnsTest {

    private static final String SOURCE = "ServiceAccount default/app annotation eks.amazonaws.com/role-arn";

    private static String malformed(String arn) {
        return SOURCE + ": \"" + arn + "\" is not a valid IAM role ARN (expected "
                + "arn:<partition>:iam::<12-digit account>:role/<name>); using it anyway";
    }

    static Stream<Arguments> regions() {
        return Stream.of(
                argumentSet("Beijing is in the China partition", "cn-north-1", "aws-cn"),
                argumentSet("Ningxia is in the China partition", "cn-northwest-1", "aws-cn"),
                argumentSet("GovCloud West is in the GovCloud partition", "us-gov-west-1", "aws-us-gov"),
                argumentSet("GovCloud East is in the GovCloud partition", "us-gov-east-1", "aws-us-gov"),
                argumentSet("us-iso- regions are in the ISO partition", "us-iso-east-1", "aws-iso"),
                argumentSet("us-isob- regions are in ISO-B, not ISO", "us-isob-east-1", "aws-iso-b"),
                argumentSet("eusc- regions are in the European Sovereign Cloud partition", "eusc-de-east-1", "aws-eusc"),
                argumentSet("a commercial US region is in aws", "us-east-1", "aws"),
                argumentSet("a commercial European region is in aws", "eu-west-1", "aws"),
                argumentSet("a commercial Asia Pacific region is in aws", "ap-southeast-2", "aws"),
                argumentSet("a prefix without its dash does not count", "us-gov", "aws"),
                argumentSet("an empty region is in aws", "", "aws"));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("regions")
    void derivesPartitionFromRegion(String region, String partition) {
        assertEquals(partition, RoleArns.partitionOf(region));
    }

    static Stream<Arguments> resolutions() {
        RoleArns composing = new RoleArns(true, "aws", "111122223333");
        RoleArns composingCn = new RoleArns(true, "aws-cn", "111122223333");
        RoleArns plain = RoleArns.plain();
        return Stream.of(
                argumentSet("composing completes a bare role name", composing, "app",
                        "arn:aws:iam::111122223333:role/app", List.of()),
                argumentSet("composing uses the configured partition", composingCn, "app",
                        "arn:aws-cn:iam::111122223333:role/app", List.of()),
                argumentSet("composing keeps a role path", composing, "team/app",
                        "arn:aws:iam::111122223333:role/team/app", List.of()),
                argumentSet("composing leaves a full ARN alone", composing, "arn:aws:iam::444455556666:role/other",
                        "arn:aws:iam::444455556666:role/other", List.of()),
                argumentSet("composing leaves any value containing arn: alone, even a malformed one", composing,
                        "my-arn:thing", "my-arn:thing", List.of(malformed("my-arn:thing"))),
                argumentSet("composing without an account id gives a malformed ARN, which is reported",
                        new RoleArns(true, "aws", ""), "app", "arn:aws:iam:::role/app",
                        List.of(malformed("arn:aws:iam:::role/app"))),
                argumentSet("without composing a bare name is used as given and reported", plain, "app", "app",
                        List.of(malformed("app"))),
                argumentSet("without composing a full ARN is used as given", plain, "arn:aws:iam::111122223333:role/app",
                        "arn:aws:iam::111122223333:role/app", List.of()));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("resolutions")
    void resolvesRoleArn(RoleArns roleArns, String value, String expected, List<String> expectedWarnings) {
        List<String> warnings = new ArrayList<>();

        String arn = roleArns.resolve(value, SOURCE, warnings);

        assertEquals(expected, arn);
        assertEquals(expectedWarnings, warnings);
    }

    static Stream<Arguments> validArns() {
        return Stream.of(
                argumentSet("a plain commercial role", "arn:aws:iam::111122223333:role/app"),
                argumentSet("a China role", "arn:aws-cn:iam::111122223333:role/app"),
                argumentSet("a GovCloud role", "arn:aws-us-gov:iam::111122223333:role/app"),
                argumentSet("an ISO-B role", "arn:aws-iso-b:iam::111122223333:role/app"),
                argumentSet("a role with a path", "arn:aws:iam::111122223333:role/team/service/app"),
                argumentSet("a role name with every allowed punctuation", "arn:aws:iam::111122223333:role/a_b.c@d+e=f,g-h"),
                argumentSet("a role name with digits and capitals", "arn:aws:iam::111122223333:role/App2Prod"));
    }

    @ParameterizedTest(name = "{argumentSetName} is accepted silently")
    @MethodSource("validArns")
    void acceptsValidArn(String arn) {
        List<String> warnings = new ArrayList<>();

        assertEquals(arn, RoleArns.plain().resolve(arn, SOURCE, warnings));
        assertEquals(List.of(), warnings);
    }

    static Stream<Arguments> invalidArns() {
        return Stream.of(
                argumentSet("an account id of 11 digits", "arn:aws:iam::11112222333:role/app"),
                argumentSet("an account id of non-ASCII digits", "arn:aws:iam::١١١١٢٢٢٢٣٣٣٣:role/app"),
                argumentSet("a user instead of a role", "arn:aws:iam::111122223333:user/app"),
                argumentSet("the STS service instead of IAM", "arn:aws:sts::111122223333:role/app"),
                argumentSet("a region in an IAM ARN", "arn:aws:iam:us-east-1:111122223333:role/app"),
                argumentSet("a partition that is not AWS", "arn:azure:iam::111122223333:role/app"),
                argumentSet("an upper-case prefix", "ARN:aws:iam::111122223333:role/app"),
                argumentSet("an empty role name", "arn:aws:iam::111122223333:role/"),
                argumentSet("a space in the role name", "arn:aws:iam::111122223333:role/my app"),
                argumentSet("a wildcard in the role name", "arn:aws:iam::111122223333:role/app*"),
                argumentSet("a trailing newline", "arn:aws:iam::111122223333:role/app\n"),
                argumentSet("a leading space", " arn:aws:iam::111122223333:role/app"));
    }

    @ParameterizedTest(name = "{argumentSetName} is reported but still used")
    @MethodSource("invalidArns")
    void reportsMalformedArn(String arn) {
        List<String> warnings = new ArrayList<>();

        assertEquals(arn, RoleArns.plain().resolve(arn, SOURCE, warnings));
        assertEquals(List.of(malformed(arn)), warnings);
    }
}
