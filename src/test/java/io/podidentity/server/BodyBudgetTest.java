package io.podidentity.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    @Test
    void claimsUntilExhaustedAndGetsBytesBack() {
        BodyBudget budget = new BodyBudget(100);
        long a = budget.tryClaim(60);
        assertEquals(60, a);
        assertEquals(-1, budget.tryClaim(41), "more than what is left is refused");
        long b = budget.tryClaim(40);
        assertEquals(0, budget.available());
        budget.release(a);
        budget.release(b);
        assertEquals(100, budget.available());
    }

    @Test
    void oneRequestMayAlwaysTakeTheWholeBudget() {
        BodyBudget budget = new BodyBudget(100);
        assertEquals(100, budget.tryClaim(5_000), "capped at the capacity, so it is never refused alone");
        assertEquals(-1, budget.tryClaim(1));
    }

    @Test
    void sizedFromTheHeapButNeverBelowOneBody() {
        assertEquals(20 * 1024 * 1024, BodyBudget.forHeap(80L * 1024 * 1024, 4 * 1024 * 1024));
        assertEquals(4 * 1024 * 1024, BodyBudget.forHeap(8L * 1024 * 1024, 4 * 1024 * 1024));
    }
}
