//go:build js

package promise

import "syscall/js"

// Await blocks the calling goroutine (never the UI one: callers run under
// ctx.Async) until p settles, and returns its value, or reject's error for
// the rejection's reason.
func Await(p js.Value, reject func(reason js.Value) error) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	ch := make(chan settled, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{v: args[0]}
		return nil
	})
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{err: reject(args[0])}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	s := <-ch
	return s.v, s.err
}
