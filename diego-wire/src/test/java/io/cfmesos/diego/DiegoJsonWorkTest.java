package io.cfmesos.diego;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link DiegoJson#writeWork} must write exactly what the mapper writes for the same {@link Work}. */
class DiegoJsonWorkTest {

    @Test
    void streamedWorkIsTheMappersWorkByteForByte() {
        Work work = DiegoJson.read(WorkAndCellStateJsonTest.WORK, Work.class);
        assertThat(new String(DiegoJson.writeWork(work), StandardCharsets.UTF_8))
                .isEqualTo(WorkAndCellStateJsonTest.WORK);
        assertThat(DiegoJson.writeWork(Work.EMPTY)).isEqualTo(DiegoJson.write(Work.EMPTY));
    }

    /** Seeded random Work values: tags, drivers, quotes, control and non-ASCII characters, tasks, no cell id. */
    @Test
    void randomWorkMatchesTheMapper() {
        Random random = new Random(20261126);
        for (int i = 0; i < 3_000; i++) {
            Work work = randomWork(random);
            // against write(), the bytes the scheduler sent before (UTF-8 output escapes non-BMP characters)
            assertThat(new String(DiegoJson.writeWork(work), StandardCharsets.UTF_8)).as("work %d", i)
                    .isEqualTo(new String(DiegoJson.write(work), StandardCharsets.UTF_8));
        }
    }

    private static Work randomWork(Random r) {
        List<LRP> lrps = new ArrayList<>();
        for (int n = r.nextInt(3); n > 0; n--) {
            lrps.add(new LRP(text(r), text(r), r.nextInt(1000) - 10, text(r), texts(r), texts(r), text(r),
                    r.nextInt(4096), r.nextInt(8192), r.nextInt(2048), text(r)));
        }
        List<Task> tasks = new ArrayList<>();
        for (int n = r.nextInt(2); n > 0; n--) {
            tasks.add(Task.forAuction(text(r), text(r), texts(r), texts(r), text(r), r.nextInt(4096),
                    r.nextInt(8192), r.nextInt(2048)));
        }
        return new Work(lrps, tasks, r.nextBoolean() ? "" : text(r));
    }

    private static List<String> texts(Random r) {
        List<String> out = new ArrayList<>();
        for (int n = r.nextInt(3); n > 0; n--) {
            out.add(text(r));
        }
        return r.nextInt(5) == 0 ? null : out;
    }

    private static String text(Random r) {
        if (r.nextInt(6) == 0) {
            return r.nextBoolean() ? null : "";
        }
        String alphabet = "abcXYZ019-_.:/ \"\\\n\t\u0001é€😀";
        StringBuilder s = new StringBuilder();
        for (int n = 1 + r.nextInt(12); n > 0; n--) {
            s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                    r.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return s.toString();
    }
}
