package ovhemu

import "net/http"

// STUB(auth): replaced by the auth helper.
type faultTable struct{}

func (f *faultTable) count(rt *route) {}
func (f *faultTable) apply(w http.ResponseWriter, r *http.Request, rt *route, qid string) bool {
	return false
}
