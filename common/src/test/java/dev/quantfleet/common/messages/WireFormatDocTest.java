package dev.quantfleet.common.messages;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that every example in docs/wire-format.md parses and is exactly what this code writes for it. */
class WireFormatDocTest {

    private static final Path DOC = Path.of("..", "docs", "wire-format.md");
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\w+) -->\\n```json\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final Map<String, Class<? extends WireMessage>> TYPES = Map.of(
            "QuantizationRequest", QuantizationRequest.class, "Task", Task.class, "TaskResult", TaskResult.class,
            "RoundOpened", RoundOpened.class, "RoundCompleted", RoundCompleted.class, "SearchOutcome", SearchOutcome.class,
            "ModelVersionPublished", ModelVersionPublished.class, "DeadLetter", DeadLetter.class);

    @Test
    void docExamplesParseAndMatchWriter() throws IOException {
        Matcher matcher = EXAMPLE.matcher(Files.readString(DOC));
        List<String> typesSeen = new ArrayList<>();

        while (matcher.find()) {
            String typeName = matcher.group(1);
            String json = matcher.group(2);
            assertThat(TYPES).as("example type").containsKey(typeName);

            WireMessage parsed = WireJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), TYPES.get(typeName));

            assertThat(WireJson.toPrettyJson(parsed)).as("example of " + typeName).isEqualTo(json);
            typesSeen.add(typeName);
        }

        assertThat(typesSeen).containsAll(TYPES.keySet());
    }
}
