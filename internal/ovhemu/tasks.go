package ovhemu

// PLACEHOLDER(services helper).

// advanceTasks moves tasks on with time in auto mode. Called under e.mu.
func (e *Emulator) advanceTasks() {}
