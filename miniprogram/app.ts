// The mini-program's entry: nothing global to set up; each page talks to the gateway through lib/api.
App({});
