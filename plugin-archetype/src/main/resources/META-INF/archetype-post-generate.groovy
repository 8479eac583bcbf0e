// Batch mode does not apply the descriptor's validationRegex: check the plugin kind here, and
// remove what was generated for a wrong one (the templates know runner, condition and policy only).
def kind = request.properties.get('pluginKind')
if (!(kind in ['runner', 'condition', 'policy'])) {
    new File(request.outputDirectory, request.artifactId).deleteDir()
    throw new IllegalArgumentException("pluginKind must be runner, condition or policy, got '" + kind + "'")
}
