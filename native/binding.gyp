{
  "targets": [
    {
      "target_name": "cnn_native",
      "sources": ["src/cnn_native.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-fno-exceptions", "-fno-math-errno", "-fno-trapping-math"],
      "libraries": ["-lopenblas"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
