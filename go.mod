module github.com/ogcard/ogcard

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/disintegration/imaging v1.6.2
	github.com/fsnotify/fsnotify v1.10.1
	github.com/go-text/typesetting v0.3.0
	github.com/klauspost/compress v1.20.4
	github.com/srwiley/oksvg v0.0.0-20221011165216-be6e8873101c
	github.com/srwiley/rasterx v0.0.0-20220730225603-2ab79fcdd4ef
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v3 v3.0.4
	golang.org/x/image v0.48.0
	golang.org/x/sys v0.50.0
	golang.org/x/text v0.44.0
)

require golang.org/x/net v0.62.0 // indirect
