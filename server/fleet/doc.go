// Package fleet keeps this machine's part of the fleet's one picture in the database: a
// record of every visit that ended (what "session end" logs) and a presence row for every
// session open now, so that the owner's console on any machine sees every machine's
// visitors.
//
// Nothing here is on a visitor's path. Ended, Opened, Changed and Closed only note the fact
// under a mutex and return; one goroutine (Run) writes in batches, at most once a second.
// While the database is slow or down, visit records wait in a bounded queue (MaxQueued; the
// oldest are dropped first when it is full, and counted: the log keeps every visit
// regardless), presence changes wait as "dirty" rows, and both are written when it answers
// again. A session that opens and ends between two writes costs the database nothing.
//
// Presence rows are stamped again every RefreshEvery while their session lives, and readers
// ask for rows seen within PresentWithin, so a machine that dies without a word (kill -9, a
// lost host) drops out of "now" within that time, and its rows are deleted by any machine
// once they are an hour old. Visit records older than the retention are pruned once an hour.
package fleet
