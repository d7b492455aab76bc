internal import CLinux
internal import Glibc

/// The three pipes between the gateway and a child process.
final class ChildProcessPipes {
    struct Pipe {
        var read: CInt
        var write: CInt
    }

    private(set) var input: Pipe
    private(set) var output: Pipe
    private(set) var error: Pipe

    init() throws(SystemCallError) {
        var created: [Pipe] = []
        do {
            for _ in 0..<3 {
                var descriptors: [CInt] = [-1, -1]
                _ = try systemCall("pipe2") { pipe2(&descriptors, O_CLOEXEC) }
                created.append(Pipe(read: descriptors[0], write: descriptors[1]))
            }
        } catch {
            for pipe in created {
                close(pipe.read)
                close(pipe.write)
            }
            throw error
        }
        input = created[0]
        output = created[1]
        error = created[2]
        // The gateway's ends never block.
        for descriptor in [input.write, output.read, error.read] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
    }

    /// Closes the ends that belong to the child, once it has them.
    func closeChildEnds() {
        for descriptor in [input.read, output.write, error.write] where descriptor >= 0 { close(descriptor) }
        input.read = -1
        output.write = -1
        error.write = -1
    }

    func closeInput() {
        if input.write >= 0 { close(input.write) }
        input.write = -1
    }

    func closeOutput() {
        if output.read >= 0 { close(output.read) }
        output.read = -1
    }

    func closeError() {
        if error.read >= 0 { close(error.read) }
        error.read = -1
    }

    /// The gateway-side descriptors still open.
    var openCount: Int {
        [input.read, input.write, output.read, output.write, error.read, error.write].filter { $0 >= 0 }.count
    }

    deinit {
        closeChildEnds()
        closeInput()
        closeOutput()
        closeError()
    }
}
