# Sentinel in a container; docker-compose.yml runs it with the leaker as a demo program.
# On its own:
#   docker build -t sentinel .
#   docker run -p 8000:8000 sentinel -m 256M -- java -cp /opt/sentinel/leaker Leaker --leak 2
# No --init needed: as PID 1 Sentinel reaps every orphan itself (it is a child subreaper anyway);
# with --init (tini as PID 1) it works the same.

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
COPY tests/leaker/Leaker.java ./tests/leaker/Leaker.java
# The cache mount keeps downloaded dependencies between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true package \
 && mkdir -p /out/leaker \
 && cp target/sentinel.jar /out/sentinel.jar \
 && javac --release 17 -nowarn -d /out/leaker tests/leaker/Leaker.java

FROM eclipse-temurin:17-jre
# Sentinel starts its program in a new session with setsid(1) from util-linux, which this
# Ubuntu-based image always has; fail the build loudly if that ever changes.
RUN command -v setsid
COPY --from=build /out/ /opt/sentinel/
EXPOSE 8000
# As bin/sentinel does: HotSpot's thread-suspend signal moves off SIGUSR2, which Sentinel forwards.
ENV _JAVA_SR_SIGNUM=44 SENTINEL_OWN_SR_SIGNUM=1
# The JVM flags of bin/sentinel: a small heap, serial GC, C1 only.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms8m", "-Xmn1m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k", \
            "-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=10000", "-XX:GuaranteedSafepointInterval=10000", \
            "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=10000", \
            "-jar", "/opt/sentinel/sentinel.jar"]
CMD ["--help"]
