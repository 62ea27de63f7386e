# Breaks an async-profiler CPU profile (collapsed stacks recorded with the `threads` option: "[thread tid=N];frame;...;leaf
# count") down by what the CPU was spent on, and prints a markdown table of each part's share and its CPU µs per request.
#
# usage: awk -v cpu_us=CPU_MICROS_PER_REQUEST -f scripts/lib/profile-breakdown.awk profile.collapsed
#
# A sample belongs to its thread's part for the threads that are one thing (GC, JIT, the telemetry writer); otherwise to the
# part of the deepest frame that names one (walking from the leaf up), so that JSON parsing under the request decoder counts
# as decoding, and the event loop only gets what no code above it claims. Kernel frames are attributed the same way.
BEGIN {
  # frame patterns, checked in this order for each frame (matched against names with dots, not slashes)
  n = 0
  rule[++n] = "dev.modelgate.gateway.telemetry";               part[n] = "telemetry, on the request thread"
  rule[++n] = "InferRequestDecoder";                           part[n] = "request decode + validation"
  rule[++n] = "ElementReader";                                 part[n] = "request decode + validation"
  rule[++n] = "dev.modelgate.inference.RequestValidator";      part[n] = "request decode + validation"
  rule[++n] = "InferResponseEncoder";                          part[n] = "response encode"
  rule[++n] = "dev.modelgate.inference.remote";                part[n] = "remote backend: encode + decode"
  rule[++n] = "dev.modelgate.inference.resilience";            part[n] = "resilience (Resilience4j + decorators)"
  rule[++n] = "io.github.resilience4j";                        part[n] = "resilience (Resilience4j + decorators)"
  rule[++n] = "dev.modelgate.inference.batching";              part[n] = "dynamic batching"
  rule[++n] = "dev.modelgate.gateway.routing";                 part[n] = "routing"
  rule[++n] = "dev.modelgate.experiments";                     part[n] = "routing"
  rule[++n] = "dev.modelgate.gateway.metrics";                 part[n] = "metrics (Micrometer)"
  rule[++n] = "io.micrometer";                                 part[n] = "metrics (Micrometer)"
  rule[++n] = "ai.onnxruntime";                                part[n] = "ONNX Runtime (JNI + native)"
  rule[++n] = "libonnxruntime";                                part[n] = "ONNX Runtime (JNI + native)"
  rule[++n] = "ai.djl";                                        part[n] = "DJL bookkeeping"
  rule[++n] = "dev.modelgate";                                 part[n] = "other gateway code"
  rule[++n] = "io.vertx.ext.web";                              part[n] = "Vert.x Web router"
  rule[++n] = "GlobalEventExecutor";                           part[n] = "hand-offs to GlobalEventExecutor"
  rule[++n] = "io.vertx.core.http.impl.Http1xClient";          part[n] = "HTTP client"
  rule[++n] = "io.vertx.core.http.impl.HttpClient";            part[n] = "HTTP client"
  rule[++n] = "io.vertx.core.net.impl.pool";                   part[n] = "HTTP client"
  rule[++n] = "io.vertx.core.http.impl";                       part[n] = "HTTP server"
  rule[++n] = "io.netty.handler.codec.http";                   part[n] = "HTTP codec (Netty)"
  rule[++n] = "io.vertx.core.impl.future";                     part[n] = "Future chain"
  rule[++n] = "io.vertx.core.impl";                            part[n] = "Vert.x core (contexts, timers, workers)"
  rule[++n] = "io.netty";                                      part[n] = "event loop, socket I/O (Netty)"
  rules = n
}
{
  count = $NF
  stack = $0
  sub(/ [0-9]+$/, "", stack)
  gsub(/\//, ".", stack)
  total += count
  frames = split(stack, frame, ";")
  thread = frame[1]
  which = ""
  if (thread ~ /GC Thread|G1 |VM Thread|VM Periodic|Service Thread/) which = "GC and VM threads"
  else if (thread ~ /CompilerThre/) which = "JIT compiler"
  else if (thread ~ /modelgate-writer/) which = "telemetry writer thread"
  for (f = frames; which == "" && f > 1; f--) {
    for (r = 1; r <= rules; r++) {
      if (index(frame[f], rule[r]) > 0) { which = part[r]; break }
    }
  }
  if (which == "") which = "other (JVM, libc, kernel outside the above)"
  samples[which] += count
}
END {
  if (total == 0) { print "(no samples)"; exit }
  print "| part | share of CPU | CPU µs per request |"
  print "|---|---:|---:|"
  # largest first
  while (1) {
    best = ""
    for (p in samples) if (best == "" || samples[p] > samples[best]) best = p
    if (best == "") break
    printf "| %s | %.1f %% | %.2f |\n", best, 100 * samples[best] / total, cpu_us * samples[best] / total
    delete samples[best]
  }
  printf "| **all** (%d samples) | 100 %% | %.2f |\n", total, cpu_us
}
