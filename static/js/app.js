// The console's own script. Empty for now: pages work with htmx attributes
// alone, and without JavaScript at all. Inline scripts are forbidden by the
// Content-Security-Policy, so any behaviour goes here.
