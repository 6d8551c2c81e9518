import CognitoSyncModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SyncService {
    func registerDevice(_ request: ServiceRequest) throws -> [UInt8] {
        let route = request.route
        let platform = request.input["Platform"]?.stringValue ?? ""
        let token = request.input["Token"]?.stringValue ?? ""
        let deviceId = try locked { () throws -> String in
            let pool = try configuredPool(route.identityPoolId, platform: platform)
            if let known = pool.devices.values.first(where: {
                $0.identityId == route.identityId && $0.platform == platform && $0.token == token
            }) {
                return known.deviceId
            }
            let device = DeviceRegistration(
                deviceId: UUID().uuidString.lowercased(), identityId: route.identityId, platform: platform, token: token
            )
            try persist { try $0.saveDevice(pool: pool.id, device) }
            pool.devices[device.deviceId] = device
            return device.deviceId
        }
        return Self.encode(ResponseBody.RegisterDeviceResponse(DeviceId: deviceId))
    }

    func subscribeToDataset(_ request: ServiceRequest) throws -> [UInt8] {
        try changeSubscription(request, subscribe: true)
    }

    func unsubscribeFromDataset(_ request: ServiceRequest) throws -> [UInt8] {
        try changeSubscription(request, subscribe: false)
    }

    private func changeSubscription(_ request: ServiceRequest, subscribe: Bool) throws -> [UInt8] {
        let route = request.route
        try locked {
            let pool = try configuredPool(route.identityPoolId, platform: nil)
            guard let device = pool.devices[route.deviceId], device.identityId == route.identityId else {
                throw ServiceError.notFound(
                    "Device \(route.deviceId) is not registered for identity \(route.identityId)")
            }
            _ = try configuredPool(route.identityPoolId, platform: device.platform)
            let subscription = Subscription(
                identityId: route.identityId, datasetName: route.datasetName, deviceId: route.deviceId
            )
            if !subscribe && !pool.subscriptions.contains(subscription) {
                throw ServiceError.notFound(
                    "Device \(route.deviceId) is not subscribed to dataset \(route.datasetName)"
                )
            }
            try persist { try $0.saveSubscription(pool: pool.id, subscription, subscribed: subscribe) }
            if subscribe {
                pool.subscriptions.insert(subscription)
            } else {
                pool.subscriptions.remove(subscription)
            }
        }
        return []
    }

    /// The pool, provided push sync is configured with a role and, when `platform` is given, an SNS platform
    /// application for it; otherwise InvalidConfigurationException (also for a pool never written to).
    private func configuredPool(_ id: String, platform: String?) throws -> PoolState {
        guard let pool = pools[id], let push = pool.settings.pushSync, push.RoleArn != nil else {
            throw ServiceError.invalidConfiguration("Push sync is not configured for identity pool \(id)")
        }
        if let platform {
            let marker = ":app/\(platform)/"
            guard (push.ApplicationArns ?? []).contains(where: { $0.contains(marker) }) else {
                throw ServiceError.invalidConfiguration(
                    "Push sync for identity pool \(id) has no platform application for \(platform)"
                )
            }
        }
        return pool
    }
}
