package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code etc/org.apache.karaf.command.acl.aiflow.cfg} and the commands agree: every
 * aiflow: command has a line naming the role its {@link Needs} says and every role above it, and
 * the file names no command that does not exist.
 */
class AclFileTest {
    private static final Path ACL = Paths.get("..", "..", "karaf-assembly", "src", "main", "resources", "etc",
            "org.apache.karaf.command.acl.aiflow.cfg");

    /** Every aiflow: command class, by command name. */
    static Map<String, Class<?>> commands() throws IOException {
        Map<String, Class<?>> commands = new TreeMap<>();
        Path classes = Paths.get("target", "classes", "org", "aiflow", "shell");
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                Class<?> type;
                try {
                    type = Class.forName("org.aiflow.shell." + name);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                Command c = type.getAnnotation(Command.class);
                if (c != null) {
                    assertThat(c.scope()).isEqualTo("aiflow");
                    commands.put(c.name(), type);
                }
            }
        }
        return commands;
    }

    @Test
    void everyCommandHasItsRolesInTheAclFile() throws IOException {
        Properties acl = new Properties();
        try (Reader r = Files.newBufferedReader(ACL)) {
            acl.load(r);
        }
        Map<String, Class<?>> commands = commands();
        assertThat(commands).hasSizeGreaterThan(50).containsKeys("workflow-upload", "token-create", "audit-list", "whoami");

        for (Map.Entry<String, Class<?>> c : commands.entrySet()) {
            Needs needs = c.getValue().getAnnotation(Needs.class);
            assertThat(needs).as(c.getValue().getSimpleName() + " declares the role it needs").isNotNull();
            List<String> expected = Arrays.stream(Role.values()).filter(r -> r.includes(needs.value())).map(Role::id).toList();
            String line = acl.getProperty(c.getKey());
            assertThat(line).as("ACL line of " + c.getKey()).isNotNull();
            assertThat(Arrays.stream(line.split(",")).map(String::trim).toList()).as("roles of " + c.getKey()).isEqualTo(expected);
        }
        for (String key : acl.stringPropertyNames()) {
            assertThat(key.equals("*") || commands.containsKey(key)).as("'" + key + "' is a command").isTrue();
        }
        assertThat(acl.getProperty("*")).as("commands added later are admin's until listed").isEqualTo("admin");
    }

    @Test
    void theModelsExamples() throws IOException {
        Map<String, Class<?>> commands = commands();
        assertThat(commands.get("workflow-upload").getAnnotation(Needs.class).value()).isEqualTo(Role.AUTHOR);
        assertThat(commands.get("event-send").getAnnotation(Needs.class).value()).isEqualTo(Role.OPERATOR);
        assertThat(commands.get("model-version-promote").getAnnotation(Needs.class).value()).isEqualTo(Role.OPERATOR);
        assertThat(commands.get("token-create").getAnnotation(Needs.class).value()).isEqualTo(Role.ADMIN);
        assertThat(commands.get("workflow-list").getAnnotation(Needs.class).value()).isEqualTo(Role.VIEWER);
    }
}
