package dev.truthline.connect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** {@link TaskCounter}: exact for its owner thread, and exact when other threads count at the same time. */
class TaskCounterTest {

    @Test
    void countsTheOwnersIncrementsAndAdds() {
        TaskCounter counter = new TaskCounter();
        assertThat(counter.sum()).isZero();
        for (int i = 0; i < 1000; i++) {
            counter.increment();
        }
        counter.add(42);
        assertThat(counter.sum()).isEqualTo(1042);
    }

    @Test
    void staysExactWhenSeveralThreadsCountAtOnce() throws Exception {
        TaskCounter counter = new TaskCounter();
        int threads = 4;
        int each = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    counter.increment();
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (int i = 0; i < each; i++) {
            counter.increment();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(counter.sum()).isEqualTo((long) (threads + 1) * each);
    }
}
