package dev.modelgate.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples file is the contract between the XGBoost training step, the in-process engine
 * benchmark and wrk: every consumer must read back the rows and scores that were written.
 */
class EngineExamplesTest {

    /** bench/wrk-infer.lua's pattern for one example's row, {@code [%d%.%s,eE+-]} in Lua's classes. */
    private static final Pattern WRK_ROW = Pattern.compile("\"features\"\\s*:\\s*(\\[[0-9.\\s,eE+-]*\\])");

    private static final EngineExamples EXAMPLES = new EngineExamples("input__0", "output__0",
            List.of(new float[] {0.25f, -1.5e-7f, 3f}, new float[] {-2f, 1e9f, 0.1f}), new double[] {0.9, 0.1}, 1e-6);

    @Test
    void a_written_file_reads_back_with_the_same_rows_and_scores(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("examples.json");
        EXAMPLES.write(file);

        EngineExamples read = EngineExamples.read(file);

        assertThat(read.inputName()).isEqualTo("input__0");
        assertThat(read.outputName()).isEqualTo("output__0");
        assertThat(read.rows()).containsExactly(EXAMPLES.rows().get(0), EXAMPLES.rows().get(1));
        assertThat(read.scores()).containsExactly(0.9, 0.1);
        assertThat(read.tolerance()).isEqualTo(1e-6);
    }

    @Test
    void wrk_finds_every_row_and_the_input_name_in_a_written_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("examples.json");
        EXAMPLES.write(file);
        String json = Files.readString(file);

        Matcher rows = WRK_ROW.matcher(json);
        int found = 0;
        while (rows.find()) {
            assertThat(rows.group(1).split(",")).hasSize(EXAMPLES.featureCount());
            found++;
        }
        assertThat(found).isEqualTo(EXAMPLES.size());
        assertThat(json).containsPattern("\"input\"\\s*:\\s*\"input__0\"");
    }

    @Test
    void a_request_for_an_example_is_one_row_and_its_answer_gives_the_score() {
        JsonObject request = new JsonObject(EXAMPLES.requestBody(1));
        JsonObject input = request.getJsonArray("inputs").getJsonObject(0);
        assertThat(input.getString("name")).isEqualTo("input__0");
        assertThat(input.getJsonArray("shape").getList()).containsExactly(1, 3);
        assertThat(input.getJsonArray("data").getList()).containsExactly(-2.0, 1.0e9, 0.1);

        JsonObject answer = new JsonObject("{\"outputs\":[{\"name\":\"other\",\"data\":[7]},"
                + "{\"name\":\"output__0\",\"data\":[0.1000004]}]}");
        assertThat(EXAMPLES.score(answer)).isEqualTo(0.1000004);
        assertThatThrownBy(() -> EXAMPLES.score(new JsonObject("{\"outputs\":[]}"))).hasMessageContaining("output__0");
    }

    @Test
    void batches_take_consecutive_rows_and_wrap_round() {
        assertThat(EXAMPLES.batch(1, 3)).containsExactly(-2f, 1e9f, 0.1f, 0.25f, -1.5e-7f, 3f, -2f, 1e9f, 0.1f);
    }

    @Test
    void a_score_outside_the_tolerance_fails_naming_the_path_and_the_example() {
        EXAMPLES.checkScore(3, 0.1 + 5e-7, "gateway");

        assertThatThrownBy(() -> EXAMPLES.checkScore(1, 0.1 + 2e-6, "gateway"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateway: example 1 scored");
        assertThatThrownBy(() -> EXAMPLES.checkScore(0, Double.NaN, "engine"))
                .hasMessageContaining("engine: example 0");
    }

    @Test
    void inconsistent_examples_are_refused_naming_the_field() {
        List<float[]> rows = List.of(new float[] {1f, 2f}, new float[] {3f});
        assertThatThrownBy(() -> new EngineExamples("x", "y", rows, new double[2], 0))
                .hasMessageContaining("rows[1]");
        assertThatThrownBy(() -> new EngineExamples("x", "y", List.of(new float[] {1f}), new double[2], 0))
                .hasMessageContaining("scores");
        assertThatThrownBy(() -> new EngineExamples(" ", "y", List.of(new float[] {1f}), new double[1], 0))
                .hasMessageContaining("inputName");
        assertThatThrownBy(() -> new EngineExamples("x", "y", List.of(), new double[0], 0))
                .hasMessageContaining("rows");
    }
}
