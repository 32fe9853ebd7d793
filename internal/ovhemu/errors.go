package ovhemu

import (
	"fmt"
	"net/http"
)

// apiError is an error the emulator answers with. Its JSON body follows
// REFERENCE §3.1: always "class" and "message"; "errorCode" and "httpCode"
// only on authentication-layer errors ([INF]: the current API may send both
// shapes, sending both is safe for every client); "details" only as a flat
// string→string map, because go-ovh falls back to the raw body for anything
// else (REFERENCE §3.2 [V]).
type apiError struct {
	Status    int               `json:"-"`
	Class     string            `json:"class"`
	Message   string            `json:"message"`
	ErrorCode string            `json:"errorCode,omitempty"`
	HTTPCode  string            `json:"httpCode,omitempty"`
	Details   map[string]string `json:"details,omitempty"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Class, e.Message) }

// classFor gives the OVH error class of a status (REFERENCE §3.1 table).
func classFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Client::BadRequest"
	case http.StatusUnauthorized:
		return "Client::Unauthorized" // [INF] REFERENCE §3.1
	case http.StatusForbidden:
		return "Client::Forbidden"
	case http.StatusNotFound:
		return "Client::NotFound"
	case http.StatusMethodNotAllowed:
		return "Client::MethodNotAllowed"
	case http.StatusConflict:
		return "Client::Conflict"
	case http.StatusServiceUnavailable:
		return "Server::ServiceUnavailable" // [INF]
	}
	if status >= 500 {
		return "Server::InternalServerError"
	}
	return "Client::BadRequest"
}

// errf builds an application error (REFERENCE §3.1 shape (a)).
func errf(status int, format string, args ...any) *apiError {
	return &apiError{Status: status, Class: classFor(status), Message: fmt.Sprintf(format, args...)}
}

// authErr builds an authentication-layer error, which carries errorCode and
// httpCode as well as class (REFERENCE §3.1 shape (b), §12.3).
func authErr(status int, code, message string) *apiError {
	return &apiError{
		Status: status, Class: classFor(status), Message: message,
		ErrorCode: code, HTTPCode: fmt.Sprintf("%d %s", status, http.StatusText(status)),
	}
}

// Common errors.
func badRequest(format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, format, args...)
}

func notFound(format string, args ...any) *apiError {
	return errf(http.StatusNotFound, format, args...)
}

func conflict(format string, args ...any) *apiError {
	return errf(http.StatusConflict, format, args...)
}
