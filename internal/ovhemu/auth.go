package ovhemu

// STUB(auth): replaced by the auth helper.
type authState struct{}

func (a *authState) init() {}

type credential struct{}

func (e *Emulator) authenticate(c *call) *apiError { return nil }
func (e *Emulator) registerAuthRoutes()            {}
func (e *Emulator) seedApplications()              {}
