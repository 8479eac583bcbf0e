// The generated plugin must install by dropping its jar into deploy/: a bundle with a DS component
// providing an SPI service, importing only what the platform exports (org.aiflow.api.*, java.*, org.osgi.*).
import java.util.jar.JarFile

// basedir is this test's folder; the archetype generated the project into project/<artifactId>
def jars = new File(basedir, 'project').listFiles().collectMany { new File(it, 'target').listFiles()?.findAll { it.name.endsWith('.jar') } ?: [] }
assert jars.size() == 1 : "one jar expected in target/, found ${jars}"
def mf = new JarFile(jars[0]).manifest.mainAttributes
def imports = mf.getValue('Import-Package').split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).collect { it.split(';')[0].trim() }
def foreign = imports.findAll { !(it.startsWith('java.') || it.startsWith('org.aiflow.api.') || it.startsWith('org.osgi.')) }
assert foreign.isEmpty() : "imports packages the platform does not export: ${foreign}"
assert mf.getValue('Export-Package') == null : 'a plugin exports nothing'
assert mf.getValue('Service-Component') : 'no DS component'
assert mf.getValue('Provide-Capability').contains('org.aiflow.api.spi.') : 'provides no SPI service'
println "verified ${jars[0].name}: imports ${imports}"
return true
