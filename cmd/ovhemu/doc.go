// Command ovhemu runs the OVH API emulator (internal/ovhemu) on its own, for
// manual work and for programs that use go-ovh directly:
//
//	go run ./cmd/ovhemu -addr 127.0.0.1:9001
//
// It prints one line, "ovhemu: listening on http://127.0.0.1:9001/1.0", the
// endpoint to give go-ovh, and serves the demo seed until it gets SIGINT or
// SIGTERM. Use the application key ovhemu.DemoAppKey with its secret
// ovhemu.DemoAppSecret; consumer keys are validated on the emulator's own
// page (the validationUrl of POST /auth/credential), where the demo accounts
// and their password are listed.
//
// Tasks advance with time, as the real API's do: -move sets how long an IP
// move takes, -task how long an IPLB task (a refresh) takes; 0 makes a task
// done at the first read after its creation.
package main
