package org.aiflow.scheduler;

import org.junit.jupiter.api.Test;

class YamlScratchTest {
    static void show(String name, String doc) {
        try {
            System.out.println("OK " + SchedulerJson.readWorkflow(name, doc));
        } catch (RuntimeException e) {
            System.out.println("ERR " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Test
    void explore() {
        String base = "name: x\ntasks:\n  - name: t\n    job:\n      runnerType: process\n      config:\n        command: echo hi\n";
        show("a.yaml", base);
        show("a.yaml", base + "    options:\n      flag: yes\n      t: 12:30\n      o: 0777\n      n: ~\n      d: 2024-01-01\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n    job: [\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n   job: 1\n");
        show("a.yaml", "name: x\n\tcolour: red\n");
        show("a.yaml", "name: x\ncolour: red\ntasks: []\n");
        show("a.yaml", "name: 5\ntasks: []\n");
        show("a.yaml", "name: x\nname: y\ntasks: []\n");
        show("a.yaml", base + "---\nname: y\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n    job: &j\n      runnerType: process\n  - name: u\n    job: *j\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n    kind: LAUNCH\n");
        show("a.yaml", base + "    options:\n      t: 12:30\n      o: 0777\n      h: 0x1F\n      big: 12345678901234567890\n      d: 2024-01-01\n      s: !!str 5\n");
        show("a.yaml", base + "    options:\n      n:\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n    job:\n      runnerType: process\n      config:\n        n: ~\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n    job: {runnerType: process}\n    startAfter: [a, ~]\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n    job: {runnerType: process}\n    rules:\n      - condition: {type: event, config: {key: \"a: b\"}}\n        action: START\n");
        show("a.yaml", "");
        show("a.yaml", "- a\n- b\n");
        show("a.yaml", "name: x\ntasks: \"a\n");
        show("a.yaml", "name: x\ntasks:\n  - name: t\n    job: {runnerType: process}\n    options: {x: !!binary aGVsbG8=}\n");
        show("a.json", "{\"name\": \"x\", \"tasks\": [");
        show("request body", "  \n{\"name\": \"x\", \"tasks\": [");
        show("request body", "");
    }
}
