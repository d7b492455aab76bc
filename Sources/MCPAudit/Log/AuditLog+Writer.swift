internal import Synchronization

extension AuditLog {
    /// Runs the writer (and the sinks' exporters) until ``shutdown()`` is called or the
    /// calling task is cancelled; then commits what is queued, writes a final checkpoint,
    /// lets the sinks drain, and returns.
    ///
    /// The writer does its SQLite work on the task that calls `run()`; commits block that
    /// thread while the disk syncs.
    ///
    /// Called after ``shutdown()`` but before the writer ever ran, it commits what is
    /// queued and returns.
    ///
    /// - Throws: ``AuditError`` with ``AuditError/Code/closed`` when the writer already
    ///   ran (it runs once per log).
    public func run() async throws(AuditError) {
        let started = state.withLock { state in
            guard !state.hasRun else { return false }
            state.hasRun = true
            // Shut down before the writer started: it still commits what is queued.
            if state.phase == .idle { state.phase = .running }
            return true
        }
        guard started else {
            throw AuditError(.closed, message: "the audit log's writer runs only once")
        }
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                for exporter in exporters {
                    group.addTask { await exporter.run() }
                }
                group.addTask { await self.tickLoop() }
                await writerLoop()
                for exporter in exporters {
                    exporter.finish()
                }
                group.cancelAll()
                await group.waitForAll()
            }
        } onCancel: {
            self.shutdown()
        }
    }

    /// Asks the writer to stop: appends are refused from now on, what is queued is still
    /// committed. Returns at once; ``run()`` returns when the writer is done.
    public func shutdown() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            switch state.phase {
            case .idle, .running: state.phase = .stopping
            case .stopping, .stopped: break
            }
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    private struct Work {
        var batch: [Entry]
        var tick: Bool
        var stopping: Bool
    }

    private func writerLoop() async {
        let maxBatch = configuration.maxBatchSize
        while true {
            let work = await nextWork(maxBatch: maxBatch)
            if !work.batch.isEmpty {
                commit(work.batch)
            }
            if work.tick {
                onTick()
            }
            if work.stopping && work.batch.isEmpty {
                _ = try? writer.withLock { writer throws(AuditError) in try writer.checkpoint() }
                state.withLock { $0.phase = .stopped }
                return
            }
        }
    }

    private func nextWork(maxBatch: Int) async -> Work {
        while true {
            let work: Work? = state.withLock { state in
                guard state.hasWork else { return nil }
                let count = min(maxBatch, state.pending.count)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                let tick = state.tick
                state.tick = false
                return Work(batch: batch, tick: tick, stopping: state.phase == .stopping)
            }
            if let work { return work }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.hasWork { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    private func commit(_ batch: [Entry]) {
        let every = Int64(configuration.checkpointEveryRecords)
        let interval = configuration.checkpointInterval
        let result: Result<[AuditRecord], AuditError> = writer.withLock { writer in
            do throws(AuditError) {
                let records = try writer.commit(batch.map(\.record), checkpointEvery: every)
                if writer.uncheckpointedCount > 0,
                    writer.lastCheckpointTime.advanced(by: interval) <= writer.clock.now
                {
                    // A late checkpoint is not the batch's failure: it is retried later.
                    _ = try? writer.checkpoint()
                }
                return .success(records)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let records):
            state.withLock { state in
                state.committed += records.count
                state.lastSequence = records.last?.sequence ?? state.lastSequence
            }
            setFailure(nil)
            for (entry, record) in zip(batch, records) {
                entry.completion?(.success(record.sequence))
            }
            for exporter in exporters {
                exporter.enqueue(records)
            }
        case .failure(let error):
            let isAsync = configuration.durability == .async
            state.withLock { state in
                if isAsync { state.dropped += batch.count } else { state.failed += batch.count }
            }
            setFailure(error)
            for entry in batch {
                if isAsync { configuration.onDrop?(.storeFailure) }
                entry.completion?(.failure(error))
            }
        }
    }

    private func onTick() {
        let interval = configuration.checkpointInterval
        let unhealthy = state.withLock { $0.failure != nil }
        if unhealthy {
            checkHealth()
            return
        }
        _ = try? writer.withLock { writer throws(AuditError) -> AuditCheckpoint? in
            guard writer.uncheckpointedCount > 0, writer.lastCheckpointTime.advanced(by: interval) <= writer.clock.now
            else { return nil }
            return try writer.checkpoint()
        }
    }

    private func tickLoop() async {
        let interval = configuration.tickInterval
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
                guard state.phase == .running else { return nil }
                state.tick = true
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }
    }
}
