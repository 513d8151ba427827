package org.engagement4j.examples.annotator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.engagement4j.metrics.Volume;
import org.engagement4j.xai.human.HumanAttentionMap;
import org.engagement4j.xai.human.HumanMaps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The annotator end to end in Debian's headless chromium: label, navigate, paint, erase, resize
 * the brush, reload mid-way, save; then the saved folder must be exactly what the Java
 * {@link Brush} gives for the same stroke points. Skipped where chromium or chromedriver is
 * missing ({@code .ci/run} installs both).
 */
class AnnotatorBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int T = TestSnippets.T;
    private static final int H = TestSnippets.H;
    private static final int W = TestSnippets.W;

    @TempDir
    Path tmp;

    private AnnotatorServer server;
    private ChromeDriver driver;
    private WebDriverWait wait;

    /** The Java replay of everything painted in the browser. */
    private final float[] expected = new float[T * H * W];
    private Brush brush = Brush.initial(H, W);
    private double left;
    private double top;
    private double scale;
    private double scaleY;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: the browser test needs Debian's chromium and chromium-driver"
                        + " (/usr/bin/chromium, /usr/bin/chromedriver); .ci/run installs them");
        // no Selenium Manager: it would try to download a browser and a driver
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path root = Files.createDirectory(tmp.resolve("snippets"));
        TestSnippets.write(root, "snip-a");
        server = AnnotatorServer.builder(root).port(0).annotator("painter").build().start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1200,1000", "--force-device-scale-factor=1",
                "--user-data-dir=" + Files.createDirectory(tmp.resolve("profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void labelPaintEraseResizeReloadAndSave() throws IOException {
        driver.get(server.uri().toString());
        waitReady();
        WebElement row = driver.findElement(By.cssSelector("tr[data-id='snip-a']"));
        assertTrue(row.getText().contains("new"), row.getText());
        row.findElement(By.tagName("a")).click();
        waitReady();
        measureCanvas();
        assertEquals(12.0, scale, "the page shows a 52 px wide frame 12 times larger");

        driver.findElement(By.id("participating-yes")).click();
        driver.findElement(By.id("attending-no")).click();

        // frame 0: a left stroke; the press itself paints nothing, each move paints once
        // (at 12 canvas pixels per image pixel, 60 and 84 put a side-8 brush's corner on a tie:
        // round(0.5) and round(2.5) are 0 and 2 in Python, not 1 and 3)
        stroke(false, 0, new int[][] {{10, 10}, {14, 11}, {22, 15}, {31, 20}, {40, 24},
            {60, 84}, {84, 60}});
        // to frame 3: one button click, two arrow keys
        driver.findElement(By.id("next")).click();
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).sendKeys(Keys.ARROW_RIGHT).perform();
        assertEquals("3", frameShown());
        stroke(false, 3, new int[][] {{100, 200}, {110, 205}, {130, 215}, {150, 230},
            {170, 240}, {176, 241}});
        // erase part of it with a right-button drag
        float[] beforeErase = expected.clone();
        stroke(true, 3, new int[][] {{120, 210}, {128, 212}, {141, 220}});
        int erased = 0;
        for (int i = 0; i < expected.length; i++) {
            erased += expected[i] < beforeErase[i] ? 1 : 0;
        }
        assertTrue(erased > 20, "the erasing stroke crosses painted pixels: " + erased);
        // two wheel steps up, one down
        wheel(-1);
        wheel(-1);
        wheel(1);
        waitStatus("draft saved");

        // reload mid-way: labels, frame, brush and paint come back from the draft
        driver.navigate().refresh();
        waitReady();
        measureCanvas();
        assertEquals("3", frameShown());
        assertTrue(selected("participating-yes") && selected("attending-no"));
        assertTrue(!selected("participating-no") && !selected("attending-yes"));
        assertTrue(driver.findElement(By.id("brush-label")).getText()
                .contains(String.format(java.util.Locale.ROOT, "%.2f", brush.sigma())));
        stroke(false, 3, new int[][] {{300, 60}, {310, 70}, {333, 85}, {350, 95}, {366, 66}});
        // the brush also reaches past the right border, clipped there
        stroke(false, 3, new int[][] {{(int) (W * scale) - 3, 100},
            {(int) (W * scale) - 1, 130}});

        driver.findElement(By.id("save")).click();
        waitStatus("saved");

        HumanAttentionMap saved = HumanMaps.read(tmp.resolve("snippets").resolve("snip-a"));
        assertEquals(Map.of("participating", "yes", "attending", "no"), saved.info().labels());
        assertEquals("painter", saved.info().annotator());
        Volume map = saved.map();
        assertArrayEquals(new int[] {T, H, W}, map.shape());
        assertTrue(map.max() <= 1);
        float[] got = map.toFloatArray();
        for (int i = 0; i < got.length; i++) {
            int f = i / (H * W);
            assertEquals(expected[i], got[i], 1e-6, "value at flat index " + i + " (frame " + f
                    + ")");
        }
        List<Integer> paintedFrames = new ArrayList<>();
        for (int f = 0; f < T; f++) {
            for (int i = f * H * W; i < (f + 1) * H * W; i++) {
                if (got[i] != 0) {
                    paintedFrames.add(f);
                    break;
                }
            }
        }
        assertEquals(List.of(0, 3), paintedFrames);
        assertTrue(map.max() > 0.1, "strokes overlap, so values pile up above one dab");

        driver.navigate().to(server.uri().toString());
        waitReady();
        assertTrue(driver.findElement(By.cssSelector("tr[data-id='snip-a']")).getText()
                .contains("done"));
    }

    private void waitReady() {
        wait.until(d -> "true".equals(((JavascriptExecutor) d)
                .executeScript("return document.body.dataset.ready;")));
    }

    private void waitStatus(String text) {
        wait.until(d -> text.equals(d.findElement(By.id("status")).getText()));
    }

    private String frameShown() {
        return driver.findElement(By.id("frame-label")).getAttribute("data-frame");
    }

    private boolean selected(String id) {
        return driver.findElement(By.id(id)).getAttribute("class").contains("selected");
    }

    @SuppressWarnings("unchecked")
    private void measureCanvas() {
        Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(
                "const r = document.getElementById('view').getBoundingClientRect();"
                        + " return {left: r.left, top: r.top, width: r.width,"
                        + " height: r.height};");
        left = ((Number) r.get("left")).doubleValue();
        top = ((Number) r.get("top")).doubleValue();
        scale = ((Number) r.get("width")).doubleValue() / W;
        scaleY = ((Number) r.get("height")).doubleValue() / H;
    }

    /**
     * Presses at the first point (canvas pixels), moves through the others one event each, and
     * releases; replays the same moves with the Java brush.
     */
    private void stroke(boolean erase, int frame, int[][] points) {
        PointerInput mouse = new PointerInput(PointerInput.Kind.MOUSE, "mouse");
        Sequence s = new Sequence(mouse, 0);
        int button = erase ? PointerInput.MouseButton.RIGHT.asArg()
                : PointerInput.MouseButton.LEFT.asArg();
        for (int i = 0; i < points.length; i++) {
            int cx = (int) Math.round(left) + points[i][0];
            int cy = (int) Math.round(top) + points[i][1];
            s.addAction(mouse.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(),
                    cx, cy));
            if (i == 0) {
                s.addAction(mouse.createPointerDown(button));
            } else {
                // the page's arithmetic: (clientX - rect.left) / (rect.width / W) - 0.5
                double x = (cx - left) / scale - 0.5;
                double y = (cy - top) / scaleY - 0.5;
                brush.stamp(expected, H, W, frame, x, y, erase);
            }
        }
        s.addAction(mouse.createPointerUp(button));
        driver.perform(Collections.singletonList(s));
    }

    private void wheel(int deltaY) {
        new Actions(driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(
                driver.findElement(By.id("view"))), 0, deltaY).perform();
        brush = brush.wheel(deltaY < 0 ? 1 : -1);
    }
}
