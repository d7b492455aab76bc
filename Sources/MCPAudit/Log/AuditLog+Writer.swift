extension AuditLog {
    /// Runs the writer (and the sinks' exporters) until ``shutdown()`` is called or the
    /// calling task is cancelled; then commits what is queued, writes a final checkpoint,
    /// lets the sinks drain, and returns.
    ///
    /// The writer and each sink's exporter run on threads of their own, which `run()`
    /// starts and waits for: commits that wait for the disk, and sinks that wait for a
    /// collector, never hold a thread of Swift's cooperative pool.
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
                    group.addTask { await BlockingThread.run { exporter.run() } }
                }
                await BlockingThread.run { self.writerLoop() }
                for exporter in exporters {
                    exporter.finish()
                }
                await group.waitForAll()
            }
        } onCancel: {
            self.shutdown()
        }
    }

    /// Asks the writer to stop: appends are refused from now on, what is queued is still
    /// committed. Returns at once; ``run()`` returns when the writer is done.
    public func shutdown() {
        state.withLock { state in
            if state.phase == .idle || state.phase == .running {
                state.phase = .stopping
            }
            state.writerSleeping = false
        }
        wake.signal()
    }

    private struct Work {
        var batch: [Entry]
        var stopping: Bool
    }

    /// The writer thread's loop: take what is queued (up to a batch), commit it, and sleep
    /// until woken or until the tick interval passed.
    private func writerLoop() {
        let maxBatch = configuration.maxBatchSize
        let tickInterval = configuration.tickInterval
        let clock = ContinuousClock()
        var lastTick = clock.now
        while true {
            let work: Work? = state.withLock { state in
                guard state.hasWork else {
                    state.writerSleeping = true
                    return nil
                }
                let count = min(maxBatch, state.pending.count)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return Work(batch: batch, stopping: state.phase == .stopping)
            }
            if let work {
                if !work.batch.isEmpty {
                    commit(work.batch)
                } else if work.stopping {
                    _ = try? writer.withLock { writer throws(AuditError) in try writer.checkpoint() }
                    state.withLock { $0.phase = .stopped }
                    return
                }
            } else {
                wake.wait(timeout: tickInterval)
                state.withLock { $0.writerSleeping = false }
            }
            if clock.now - lastTick >= tickInterval {
                lastTick = clock.now
                onTick()
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

    /// Periodic work: a checkpoint when the interval passed, a probe when unhealthy.
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
}
