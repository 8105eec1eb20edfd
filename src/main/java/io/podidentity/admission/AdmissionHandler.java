package io.podidentity.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podidentity.identity.IdentityResolver;
import io.podidentity.identity.Resolution;
import io.podidentity.metrics.WebhookMetrics;
import io.podidentity.mutation.Identity;
import io.podidentity.mutation.MutationResult;
import io.podidentity.mutation.PodMutator;
import io.podidentity.mutation.PodView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * One AdmissionReview in, one AdmissionReview out. Every failure becomes an answer here and
 * nowhere else: an unusable review is denied with a message saying what is wrong; anything that
 * is not a pod creation is allowed untouched; an internal failure allows the pod with a warning.
 */
public final class AdmissionHandler {

    private static final Logger LOG = Logger.getLogger(AdmissionHandler.class);
    static final String INTERNAL_FAILURE_WARNING =
            "the pod identity webhook failed internally and did not add AWS credentials; see its logs";

    private final AdmissionReviews reviews;
    private final IdentityResolver resolver;
    private final PodMutator mutator;
    private final WebhookMetrics metrics;

    public AdmissionHandler(ObjectMapper json, IdentityResolver resolver, PodMutator mutator, WebhookMetrics metrics) {
        this.reviews = new AdmissionReviews(json);
        this.resolver = resolver;
        this.mutator = mutator;
        this.metrics = metrics;
    }

    /** Answers a review; the returned stage never completes exceptionally. */
    public CompletionStage<byte[]> handle(byte[] body) {
        AdmissionRequest request;
        try {
            request = reviews.read(body);
        } catch (BadReviewException e) {
            LOG.warnf("denied: unusable AdmissionReview: %s", e.getMessage());
            return CompletableFuture.completedFuture(reviews.write("", "", false, null, null, e.getMessage()));
        } catch (RuntimeException e) {
            // A reader bug must still be an answer, never a request left hanging.
            LOG.errorf(e, "denied: the AdmissionReview could not be read");
            return CompletableFuture.completedFuture(reviews.write("", "", false, null, null,
                    "the AdmissionReview could not be read: " + e));
        }
        if (!request.isPodCreation()) {
            LOG.infof("not mutated: %s is not a pod creation (kind %s/%s %s, subresource \"%s\", operation %s); check the webhook's rules",
                    request.uid(), request.group(), request.version(), request.resourceKind(), request.subResource(),
                    request.operation());
            return CompletableFuture.completedFuture(reviews.answer(request, true, null, null, null));
        }
        PodObject object = request.object();
        if (object.problem() != null) {
            LOG.warnf("denied: request %s: %s", request.uid(), object.problem());
            return CompletableFuture.completedFuture(reviews.answer(request, false, null, null, object.problem()));
        }
        PodView pod = object.pod();
        String namespace = request.namespace().isEmpty() ? object.namespace() : request.namespace();
        String serviceAccount = object.serviceAccountName();
        Subject subject = new Subject(pod.displayName(), namespace, serviceAccount, request.dryRun());
        try {
            return resolver.resolve(namespace, serviceAccount)
                    .thenApply(resolution -> decide(request, pod, subject, resolution))
                    .exceptionally(e -> internalFailure(request, subject, e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(internalFailure(request, subject, e));
        }
    }

    /** Who the decision is about, for logs. */
    private record Subject(String pod, String namespace, String serviceAccount, boolean dryRun) {
        @Override
        public String toString() {
            return "pod=" + pod + " namespace=" + namespace + " serviceAccount=" + serviceAccount + (dryRun ? " dryRun=true" : "");
        }
    }

    private byte[] decide(AdmissionRequest request, PodView pod, Subject subject, Resolution resolution) {
        List<String> warnings = new ArrayList<>(resolution.warnings());
        Identity identity = resolution.identity();
        if (identity == null) {
            if (resolution.outcome() == Resolution.Outcome.SERVICE_ACCOUNT_MISSING) {
                metrics.serviceAccountMissing();
            }
            if (LOG.isInfoEnabled()) {
                LOG.info("not mutated: " + subject + " reason=\"" + resolution.outcome().description() + "\"");
            }
            logWarnings(subject, warnings);
            return reviews.answer(request, true, null, warnings, null);
        }
        metrics.podIdentified(identity instanceof Identity.WebIdentity ? "sts_web_identity" : "container_credentials");
        MutationResult result = mutator.mutate(pod, identity);
        warnings.addAll(result.warnings());
        if (result.changed()) {
            // Concatenation, not infof: this line is written for every admission, and
            // String.format was about 5 % of an admission's CPU (bench/RESULTS.md).
            if (LOG.isInfoEnabled()) {
                LOG.info("mutated: " + subject + " " + describe(identity) + " source=\"" + resolution.outcome().description()
                        + "\" tokenExpiration=" + result.tokenExpirationSeconds() + " containers=" + result.mutatedContainers());
            }
        } else {
            if (LOG.isInfoEnabled()) {
                LOG.info("not mutated: " + subject + " " + describe(identity)
                        + " reason=\"already has the credentials env, mount and volume\"");
            }
        }
        logWarnings(subject, warnings);
        return reviews.answer(request, true, result.patch(), warnings, null);
    }

    private static String describe(Identity identity) {
        if (identity instanceof Identity.WebIdentity web) {
            return "identity=web-identity role=" + web.roleArn() + " audience=" + web.audience();
        }
        return "identity=container-credentials";
    }

    private static void logWarnings(Subject subject, List<String> warnings) {
        for (String warning : warnings) {
            LOG.warn("warning returned: " + subject + ": " + warning);
        }
    }

    private byte[] internalFailure(AdmissionRequest request, Subject subject, Throwable e) {
        LOG.errorf(e, "not mutated: %s reason=\"internal error\"", subject);
        return reviews.answer(request, true, null,
                List.of(INTERNAL_FAILURE_WARNING), null);
    }
}
