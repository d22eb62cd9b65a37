#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a program with stdout and stderr sent to files, and returns its exit status and its
/// own peak resident memory (from `wait4`'s rusage, so other children of the test process
/// cannot blur the figure).
public func runMeasured(_ executable: String, _ arguments: [String], environment: [String: String], outputDirectory: String) throws -> (status: Int32, peakKiB: Int, stderr: String) {
    let stdoutPath = "\(outputDirectory)/measured.stdout"
    let stderrPath = "\(outputDirectory)/measured.stderr"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else { throw CraftFailure(message: "posix_spawn \(executable): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw CraftFailure(message: "wait4: \(String(cString: strerror(errno)))") }
    }
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let errorText = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    return (exitStatus, Int(usage.ru_maxrss), errorText)
}

public struct CraftFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
