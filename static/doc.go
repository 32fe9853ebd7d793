// Package static holds the console's front-end files, embedded in the binary
// so that it needs no asset directory at run time (the Dockerfile copies none).
//
// Pages link them with Path, which appends a content hash ("?v=…"); Handler
// serves them and lets browsers cache a hashed URL forever. Third-party files
// (htmx, Pico CSS) are vendored from npm by scripts/vendor-static.sh with
// their version in the file name, never loaded from a CDN: the console must
// work offline and under a strict Content-Security-Policy.
//
// This package imports nothing from the rest of the module.
package static
