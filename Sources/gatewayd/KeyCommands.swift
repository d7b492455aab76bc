import Foundation
import MCPAuth
import MCPGateway

let keysUsage = """
    usage: gatewayd keys rotate --config FILE
                                  make a new signing key; the old one stays published for its tokens
           gatewayd keys reseal --config FILE --new-master-key FILE
                                  seal every signing key and upstream credential with a new
                                  master key (then point
                                  authorization.masterKeyFile at it)
    """

/// `gatewayd keys ...`: the authorization server's signing keys and master key.
///
/// - Returns: the exit status.
func runKeys(_ arguments: [String]) -> Int32 {
    func usage() -> Int32 {
        FileHandle.standardError.write(Data((keysUsage + "\n").utf8))
        return 2
    }
    guard let verb = arguments.first, let configIndex = arguments.firstIndex(of: "--config"),
        configIndex + 1 < arguments.count
    else { return usage() }
    let configurationPath = arguments[configIndex + 1]
    let configuration = loadConfiguration(configurationPath)
    do {
        guard let (store, masterKey) = try openAuthorizationStore(configuration, configurationPath: configurationPath)
        else {
            FileHandle.standardError.write(Data("gatewayd: \(configurationPath) has no authorization section\n".utf8))
            return 2
        }
        let ring = try SigningKeyRing(store: store, masterKey: masterKey)
        switch verb {
        case "rotate":
            let keyID = try ring.rotate()
            print("new signing key \(keyID); restart gatewayd to sign with it")
        case "reseal":
            guard let index = arguments.firstIndex(of: "--new-master-key"), index + 1 < arguments.count else {
                return usage()
            }
            let newKey = try MasterKey(contentsOfFile: arguments[index + 1])
            let count = try ring.reseal(with: newKey)
            print("\(count) signing key(s) sealed with master key \(newKey.keyID)")
            let vaultPath = resolvePath(
                "vault.sqlite", configuration: configuration, configurationPath: configurationPath)
            if FileManager.default.fileExists(atPath: vaultPath) {
                let sealed = try CredentialVault(path: vaultPath, masterKey: masterKey).reseal(with: newKey)
                print("\(sealed) upstream credential(s) and registration(s) sealed with master key \(newKey.keyID)")
            }
        default:
            return usage()
        }
    } catch {
        FileHandle.standardError.write(Data("gatewayd: keys \(verb): \(error)\n".utf8))
        return 1
    }
    return 0
}
