package dev.modelgate.gateway.telemetry.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The queue every logged event passes through: nothing offered is lost, repeated or reordered, and its bounds hold. */
class RowQueueTest {

    @Test
    @Timeout(60) // a lost row would leave the taking loop waiting for ever
    void rowsOfManyOfferingThreadsReachTheWriterOnceEachInTheOrderEachThreadOfferedThem() throws Exception {
        int producers = 4;
        int rowsEach = 50_000;
        RowQueue queue = new RowQueue(Integer.MAX_VALUE, Long.MAX_VALUE);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                await(start);
                for (int i = 0; i < rowsEach; i++) {
                    byte[] row = ByteBuffer.allocate(8).putInt(producer).putInt(i).array();
                    queue.reserve(row.length); // unbounded here: always granted
                    queue.add(new RowQueue.Row(row, "p", null));
                }
            });
            thread.start();
            threads.add(thread);
        }

        int[] next = new int[producers];
        int taken = 0;
        start.countDown();
        while (taken < producers * rowsEach) {
            RowQueue.Row row = queue.poll();
            if (row == null) {
                Thread.onSpinWait();
                continue;
            }
            ByteBuffer bytes = ByteBuffer.wrap(row.bytes());
            int producer = bytes.getInt();
            assertThat(bytes.getInt()).as("next row of producer %d", producer).isEqualTo(next[producer]);
            next[producer]++;
            taken++;
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(next).containsOnly(rowsEach);
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.size()).isZero();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void refusesARowOverEitherBoundAndGivesItsRoomBackWhenTaken() {
        RowQueue queue = new RowQueue(2, 100);
        assertThat(queue.reserve(60)).isTrue();
        queue.add(new RowQueue.Row(new byte[60], "p", null));
        assertThat(queue.reserve(50)).as("over the byte bound").isFalse();
        assertThat(queue.reserve(40)).isTrue();
        queue.add(new RowQueue.Row(new byte[40], "p", null));
        assertThat(queue.reserve(1)).as("over the count bound").isFalse();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.bytes()).isEqualTo(100);

        assertThat(queue.poll().bytes()).hasSize(60);
        assertThat(queue.reserve(60)).isTrue();
        assertThat(queue.bytes()).isEqualTo(100);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
