package dev.quantfleet.worker;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged worker with {@code migraphx} but no provider library: it stays up, live but not
 * ready, with the error in its readiness data, and starts no task loop, so it takes no task.
 */
@QuarkusTest
@TestProfile(WorkerInvalidSettingTest.MigraphxWithoutLibrary.class)
class WorkerInvalidSettingTest {

    @TestHTTPResource("/q/health/ready")
    URL readiness;

    @TestHTTPResource("/q/health/live")
    URL liveness;

    @Test
    void notReadyButLiveWithTheError() throws Exception {
        HttpResponse<String> ready = get(readiness);
        HttpResponse<String> live = get(liveness);

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("quantfleet.worker.execution-provider is migraphx")
                .contains("quantfleet.worker.provider-library is not set");
        assertThat(live.statusCode()).as("a restart would fail the same way").isEqualTo(200);
        assertThat(live.body()).contains("invalidSetting");
    }

    private static HttpResponse<String> get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Chooses MIGraphX without its library. */
    public static class MigraphxWithoutLibrary implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quantfleet.worker.execution-provider", "migraphx");
        }
    }
}
