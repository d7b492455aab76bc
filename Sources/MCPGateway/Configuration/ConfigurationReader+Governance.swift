import MCPCore
import MCPInspect

/// The governance sections: policy, inspection, administrators, audit.
extension ConfigurationReader {
    func readGovernance(_ object: JSONObject, into configuration: inout GatewayConfiguration)
        throws(GatewayConfigurationError)
    {
        if let policy = object["policy"] {
            let policyObject = try self.object(policy, at: "policy")
            try refuseUnknown(policyObject, known: ["files", "anonymous"], at: "policy")
            guard let files = policyObject["files"] else {
                throw GatewayConfigurationError(path: "policy.files", "is required")
            }
            let list = try strings(files, at: "policy.files")
            guard !list.isEmpty, list.count <= 1000 else {
                throw GatewayConfigurationError(path: "policy.files", "must list 1 to 1000 files")
            }
            for (index, file) in list.enumerated() where file.isEmpty {
                throw GatewayConfigurationError(path: "policy.files[\(index)]", "must not be empty")
            }
            var settings = GatewayConfiguration.PolicySettings(files: list)
            if let anonymous = policyObject["anonymous"] {
                let anonymousObject = try self.object(anonymous, at: "policy.anonymous")
                try refuseUnknown(anonymousObject, known: ["subject", "organization", "teams"], at: "policy.anonymous")
                guard let subject = anonymousObject["subject"], let organization = anonymousObject["organization"]
                else {
                    throw GatewayConfigurationError(path: "policy.anonymous", "needs subject and organization")
                }
                settings.anonymousSubject = try string(subject, at: "policy.anonymous.subject")
                settings.anonymousOrganization = try string(organization, at: "policy.anonymous.organization")
                if let teams = anonymousObject["teams"] {
                    settings.anonymousTeams = try strings(teams, at: "policy.anonymous.teams")
                }
            }
            configuration.policy = settings
        }
        if let inspection = object["inspection"] {
            do {
                configuration.inspection = try InspectionConfiguration(json: inspection, path: "inspection")
                _ = try configuration.inspection?.makeInspector()
            } catch {
                // The message names the key path, from "inspection" on.
                throw GatewayConfigurationError(path: "inspection", error.message)
            }
        }
        if let admin = object["admin"] {
            let adminObject = try self.object(admin, at: "admin")
            try refuseUnknown(adminObject, known: ["tokenFile", "publicURL"], at: "admin")
            guard let tokenFile = adminObject["tokenFile"] else {
                throw GatewayConfigurationError(path: "admin.tokenFile", "is required")
            }
            var settings = GatewayConfiguration.AdminSettings(tokenFile: try string(tokenFile, at: "admin.tokenFile"))
            guard !settings.tokenFile.isEmpty else {
                throw GatewayConfigurationError(path: "admin.tokenFile", "must not be empty")
            }
            if let url = adminObject["publicURL"] {
                let text = try string(url, at: "admin.publicURL")
                guard text.hasPrefix("http://") || text.hasPrefix("https://"), !text.hasSuffix("/") else {
                    throw GatewayConfigurationError(
                        path: "admin.publicURL", "must be an http(s) URL without a trailing /")
                }
                settings.publicURL = text
            }
            configuration.admin = settings
        }
        if let audit = object["audit"] {
            let auditObject = try self.object(audit, at: "audit")
            try refuseUnknown(
                auditObject, known: ["path", "durability", "signingKeyFile", "recordArguments", "sinks", "retention"],
                at: "audit")
            var settings = GatewayConfiguration.AuditSettings()
            if let path = auditObject["path"] {
                settings.path = try string(path, at: "audit.path")
                guard !settings.path.isEmpty else {
                    throw GatewayConfigurationError(path: "audit.path", "must not be empty")
                }
            }
            if let durability = auditObject["durability"] {
                let text = try string(durability, at: "audit.durability")
                guard let parsed = GatewayConfiguration.AuditSettings.Durability(rawValue: text) else {
                    throw GatewayConfigurationError(
                        path: "audit.durability", "must be \"acknowledged\", \"async\" or \"failClosed\"")
                }
                settings.durability = parsed
            }
            if let key = auditObject["signingKeyFile"] {
                settings.signingKeyFile = try string(key, at: "audit.signingKeyFile")
                guard settings.signingKeyFile?.isEmpty == false else {
                    throw GatewayConfigurationError(path: "audit.signingKeyFile", "must not be empty")
                }
            }
            if let record = auditObject["recordArguments"] {
                guard let flag = record.boolValue else {
                    throw GatewayConfigurationError(path: "audit.recordArguments", "must be true or false")
                }
                settings.recordArguments = flag
            }
            if let sinks = auditObject["sinks"] {
                guard let list = sinks.arrayValue, list.count <= 16 else {
                    throw GatewayConfigurationError(path: "audit.sinks", "must be an array of at most 16 sinks")
                }
                for (index, element) in list.enumerated() {
                    settings.sinks.append(try readSink(element, at: "audit.sinks[\(index)]"))
                }
            }
            if let retention = auditObject["retention"] {
                let retentionObject = try self.object(retention, at: "audit.retention")
                try refuseUnknown(retentionObject, known: ["days", "organizations"], at: "audit.retention")
                if let days = retentionObject["days"] {
                    settings.retentionDays = try integer(days, at: "audit.retention.days", in: 1...36_500)
                }
                if let organizations = retentionObject["organizations"] {
                    for (organization, days) in try self.object(organizations, at: "audit.retention.organizations") {
                        settings.organizationRetentionDays[organization] = try integer(
                            days, at: "audit.retention.organizations.\(organization)", in: 1...36_500)
                    }
                }
            }
            configuration.audit = settings
        }
    }

    func readSink(_ value: JSONValue, at path: String) throws(GatewayConfigurationError)
        -> GatewayConfiguration.AuditSettings.Sink
    {
        let object = try self.object(value, at: path)
        guard let type = object["type"] else { throw GatewayConfigurationError(path: path + ".type", "is required") }
        switch try string(type, at: path + ".type") {
        case "file":
            try refuseUnknown(object, known: ["type", "path"], at: path)
            guard let file = object["path"] else {
                throw GatewayConfigurationError(path: path + ".path", "is required")
            }
            let text = try string(file, at: path + ".path")
            guard !text.isEmpty else { throw GatewayConfigurationError(path: path + ".path", "must not be empty") }
            return .file(path: text)
        case "syslog":
            try refuseUnknown(object, known: ["type", "host", "port", "protocol"], at: path)
            guard let host = object["host"], let port = object["port"] else {
                throw GatewayConfigurationError(path: path, "needs host and port")
            }
            let hostText = try string(host, at: path + ".host")
            guard !hostText.isEmpty else { throw GatewayConfigurationError(path: path + ".host", "must not be empty") }
            let portNumber = try integer(port, at: path + ".port", in: 1...65535)
            var tcp = false
            if let transport = object["protocol"] {
                switch try string(transport, at: path + ".protocol") {
                case "udp": tcp = false
                case "tcp": tcp = true
                default: throw GatewayConfigurationError(path: path + ".protocol", "must be \"udp\" or \"tcp\"")
                }
            }
            return .syslog(host: hostText, port: UInt16(portNumber), tcp: tcp)
        default:
            throw GatewayConfigurationError(path: path + ".type", "must be \"file\" or \"syslog\"")
        }
    }

}
