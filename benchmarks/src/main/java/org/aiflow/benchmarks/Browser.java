package org.aiflow.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium ({@value #CHROMIUM}) driven through {@value #CHROMEDRIVER} with a fresh
 * profile; both paths are given, so Selenium Manager neither runs nor downloads anything. A script
 * installed before every document ({@code Page.addScriptToEvaluateOnNewDocument}) records the page's
 * long tasks from the start of its load ({@code window.__bench.longtasks}: [startTime, duration] in
 * ms since navigation start) and when the task graph first holds {@code expectNodes} task nodes
 * ({@code window.__bench.nodesAt}). The back/forward cache is off (see the arguments).
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final Path dir;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private boolean keep;

    private Browser(Path dir, ChromeDriverService service, ChromeDriver driver) {
        this.dir = dir;
        this.service = service;
        this.driver = driver;
    }

    static Browser start(int expectNodes) throws IOException {
        for (String file : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(file))) {
                throw new IllegalStateException("no " + file + ": apt-get install -y chromium chromium-driver");
            }
        }
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE); // no CDP version chatter between the RESULT lines
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path dir = Files.createTempDirectory("aiflow-bench-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.setPageLoadStrategy(PageLoadStrategy.NORMAL);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800", "--user-data-dir=" + dir.resolve("profile"),
                // a page left for about:blank would stay in the back/forward cache with its SSE stream open: after six such
                // pages every HTTP/1.1 connection Chromium allows to the host is taken and the next load waits ~50 s for one
                // (see docs/benchmarks.md, Web UI); the suite measures the pages, not that
                "--disable-features=BackForwardCache");
        String extra = System.getenv().getOrDefault("AIFLOW_BENCH_CHROME_ARGS", "").trim();
        if (!extra.isEmpty()) {
            options.addArguments(extra.split("\\s+"));
        }
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(60));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PRELOAD.replace("EXPECT_NODES",
                Integer.toString(expectNodes))));
        Results.progress("browser: " + driver.getCapabilities().getBrowserName() + " " + driver.getCapabilities().getBrowserVersion()
                + " headless, profile and chromedriver.log in " + dir);
        return new Browser(dir, service, driver);
    }

    /** Runs before the page's own scripts in every document. */
    private static final String PRELOAD = """
            (() => {
              if (window.__bench) return;
              const b = window.__bench = { longtasks: [], nodesAt: null, expectNodes: EXPECT_NODES };
              try {
                new PerformanceObserver(l => { for (const e of l.getEntries()) b.longtasks.push([e.startTime, e.duration]); })
                  .observe({ type: 'longtask', buffered: true });
              } catch (e) { b.error = String(e); }
              const mo = new MutationObserver(() => {
                if (b.nodesAt !== null || !document.querySelector('svg.graph')) return;
                if (document.querySelectorAll('g.node.task').length >= b.expectNodes) { b.nodesAt = performance.now(); mo.disconnect(); }
              });
              mo.observe(document, { childList: true, subtree: true });
              try {
                new PerformanceObserver(l => { if (l.getEntries().some(e => e.name.startsWith('aiflow:rendered:'))) mo.disconnect(); })
                  .observe({ type: 'mark' });
              } catch (e) { /* the observer above keeps watching */ }
            })();
            """;

    ChromeDriver driver() {
        return driver;
    }

    void get(String url) {
        driver.get(url);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Signs in through the sign-in form, as a person does, and waits for the overview. */
    void signIn(String ui, String user, String password) {
        driver.get(ui + "signin");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> !d.findElements(By.cssSelector("input[name=username]")).isEmpty());
        driver.findElement(By.cssSelector("input[name=username]")).sendKeys(user);
        driver.findElement(By.cssSelector("input[name=password]")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> "overview".equals(script("return document.body.dataset.rendered || null")));
    }

    /**
     * Waits until the page's performance mark {@code name} exists and returns its time (ms since
     * navigation start); fails with what the page shows if it does not come within 60 s.
     */
    double awaitMark(String name) {
        Object at = asyncScript("""
                const name = arguments[0], done = arguments[arguments.length - 1];
                const until = performance.now() + 55000;
                const check = () => {
                  const m = performance.getEntriesByName(name);
                  if (m.length) done(m[0].startTime);
                  else if (performance.now() > until) done('no mark ' + name + '; the page shows: ' + (document.querySelector('main') || document.body).innerText.slice(0, 500));
                  else setTimeout(check, 5);
                };
                check();
                """, name);
        if (!(at instanceof Number n)) {
            keep = true;
            throw new IllegalStateException(String.valueOf(at));
        }
        return n.doubleValue();
    }

    /** The renderer's cumulative counters (CDP Performance.getMetrics: TaskDuration, ScriptDuration, LayoutDuration, ... in s). */
    @SuppressWarnings("unchecked")
    Map<String, Double> metrics() {
        driver.executeCdpCommand("Performance.enable", Map.of());
        Map<String, Double> out = new HashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) driver.executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics")) {
            out.put(String.valueOf(m.get("name")), ((Number) m.get("value")).doubleValue());
        }
        return out;
    }

    /** Starts V8's sampling profiler in the page's renderer (every 200 µs). */
    void startProfile() {
        driver.executeCdpCommand("Profiler.enable", Map.of());
        driver.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 200));
        driver.executeCdpCommand("Profiler.start", Map.of());
    }

    /**
     * Stops the profiler: the {@code top} functions by self time and by inclusive time (a function
     * counted once per sample however deep it recurses), as lines "ms function file:line".
     */
    @SuppressWarnings("unchecked")
    List<String> stopProfile(int top) {
        Map<String, Object> profile = (Map<String, Object>) driver.executeCdpCommand("Profiler.stop", Map.of()).get("profile");
        driver.executeCdpCommand("Profiler.disable", Map.of());
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> parents = new HashMap<>();
        for (Map<String, Object> node : (List<Map<String, Object>>) profile.get("nodes")) {
            long id = ((Number) node.get("id")).longValue();
            Map<String, Object> frame = (Map<String, Object>) node.get("callFrame");
            String url = String.valueOf(frame.get("url"));
            String function = String.valueOf(frame.get("functionName"));
            names.put(id, (function.isEmpty() ? "(anonymous)" : function) + " " + url.substring(url.lastIndexOf('/') + 1)
                    + ":" + (((Number) frame.get("lineNumber")).intValue() + 1));
            for (Object child : (List<Object>) node.getOrDefault("children", List.of())) {
                parents.put(((Number) child).longValue(), id);
            }
        }
        List<Number> samples = (List<Number>) profile.get("samples");
        List<Number> deltas = (List<Number>) profile.get("timeDeltas");
        Map<String, Double> self = new HashMap<>();
        Map<String, Double> inclusive = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            double ms = i + 1 < deltas.size() ? deltas.get(i + 1).doubleValue() / 1000 : 0;
            Long id = samples.get(i).longValue();
            self.merge(names.get(id), ms, Double::sum);
            Set<String> seen = new HashSet<>();
            for (; id != null; id = parents.get(id)) {
                if (seen.add(names.get(id))) {
                    inclusive.merge(names.get(id), ms, Double::sum);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("self time:");
        self.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(e -> lines.add(String.format(Locale.ROOT, "  %8.1f ms %s", e.getValue(), e.getKey())));
        lines.add("inclusive time:");
        inclusive.entrySet().stream().filter(e -> !e.getKey().startsWith("(root)")).sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top).forEach(e -> lines.add(String.format(Locale.ROOT, "  %8.1f ms %s", e.getValue(), e.getKey())));
        return lines;
    }

    /** The run failed: keep the profile and chromedriver.log. */
    void keep() {
        keep = true;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            Results.progress("quitting the browser: " + e);
        }
        service.stop();
        if (keep) {
            Results.progress("the browser's profile and chromedriver.log stay in " + dir);
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            Results.progress("removing " + dir + ": " + e);
        }
    }
}
