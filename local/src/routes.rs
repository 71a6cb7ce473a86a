//! Every HTTP route and the function that serves it, from the shared route table
//! ([`frontline::http::routes::ROUTES`]). `template.yaml` must list exactly these (a test
//! holds them equal).

/// `(method, path template, function)` of every route.
pub fn all() -> Vec<(&'static str, &'static str, &'static str)> {
    frontline::http::routes::ROUTES
        .iter()
        .map(|r| (r.method, r.path, r.function))
        .collect()
}

/// A matched route: its path template, its function, and the path parameters.
pub type Matched = (&'static str, &'static str, Vec<(String, String)>);

/// The route matching a request, with its path parameters.
pub fn find(method: &str, path: &str) -> Option<Matched> {
    frontline::http::routes::find(method, path).map(|(r, p)| (r.path, r.function, p))
}
