package store

import (
	"reflect"
	"time"
)

// TimePrecision is the precision every backend keeps times at (MongoDB's).
const TimePrecision = time.Millisecond

var timeType = reflect.TypeFor[time.Time]()

// NormalizeTimes cuts every time.Time reachable from rec (a pointer to a
// record: through pointers, structs, slices and maps) to TimePrecision in UTC, as
// the conformance suite requires of what a backend returns.
func NormalizeTimes(rec any) { normTimes(reflect.ValueOf(rec)) }

func normTimes(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			normTimes(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC().Truncate(TimePrecision)))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				normTimes(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			normTimes(v.Index(i))
		}
	case reflect.Map:
		// Map values are not addressable: normalize a copy and put it back
		// (Environment.Templates holds times in maps of maps).
		iter := v.MapRange()
		for iter.Next() {
			cp := reflect.New(iter.Value().Type()).Elem()
			cp.Set(iter.Value())
			normTimes(cp)
			v.SetMapIndex(iter.Key(), cp)
		}
	}
}
