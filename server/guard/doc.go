// Package guard provides the defences an anonymous public SSH server needs
// that charm.land/ssh and wish leave to the application.
package guard
