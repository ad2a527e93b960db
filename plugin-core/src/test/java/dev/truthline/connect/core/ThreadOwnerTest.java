package dev.truthline.connect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class ThreadOwnerTest {

    @Test
    void theFirstThreadToAskOwnsItAndNoOtherEverDoes() throws Exception {
        ThreadOwner owner = new ThreadOwner();
        assertThat(owner.owns()).isTrue();
        assertThat(owner.owns()).as("asked again").isTrue();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(owner::owns).get()).isFalse();
        } finally {
            other.shutdownNow();
        }
        assertThat(owner.owns()).isTrue();
    }

    /** Eight threads asking at once: exactly one owns, and each keeps its answer. */
    @Test
    void threadsRacingToClaimLeaveExactlyOneOwner() throws Exception {
        for (int round = 0; round < 50; round++) {
            ThreadOwner owner = new ThreadOwner();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<boolean[]>> answers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return new boolean[] {owner.owns(), owner.owns()};
                    }));
                }
                start.countDown();
                int owners = 0;
                for (Future<boolean[]> f : answers) {
                    boolean[] a = f.get();
                    assertThat(a[1]).as("the same answer twice").isEqualTo(a[0]);
                    owners += a[0] ? 1 : 0;
                }
                assertThat(owners).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
