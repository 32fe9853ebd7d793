package ovhemu

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// doAs serves one API call as the account nic without signing it (auth is
// tested in auth_test.go), and returns the status and the raw JSON body.
// path is relative to /1.0, e.g. "/ipLoadbalancing".
func doAs(t testing.TB, e *Emulator, nic, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, "/1.0"+path, rd)
	req = req.WithContext(context.WithValue(req.Context(), asAccountKey{}, nic))
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Header().Get("X-Ovh-Queryid") == "" {
		t.Errorf("%s %s: no X-Ovh-Queryid header", method, path)
	}
	return rec.Code, rec.Body.Bytes()
}

// decodeAs decodes a JSON body into T or fails the test.
func decodeAs[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

var _ = http.MethodGet
