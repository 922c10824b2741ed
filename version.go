package tracksync

// Version is the release of this module; HTTP clients send it in their
// User-Agent as "tracksync/<Version>".
const Version = "0.1.0"
