// Starts Swagger UI on the document the API generates from its JAX-RS resources.
// The API refuses a state-changing call with Basic credentials unless it has a JSON body or the
// header X-Requested-By (CSRF protection), so every request "Try it out" sends carries that header.
// Credentials come from the Authorize button (Basic or Bearer) and are not kept after the page closes.
window.ui = SwaggerUIBundle({
  url: '/aiflow/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  validatorUrl: null,
  requestInterceptor: r => {
    r.headers['X-Requested-By'] = 'swagger-ui';
    return r;
  }
});
