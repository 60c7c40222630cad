require "json"
require "shop/config"
require "shop/item"
require "shop/pricing"
require "shop/order"

# The shop's entry points.
module Shop # <def:Shop>
  VERSION = "0.1.0" # <def:Shop.VERSION>

  def self.open(name) # <def:Shop.open>
    order = Order.new(name) # <ref:Order=Order> <ref:new=Order.initialize>
    order.add(Item.free("welcome")) # <ref:add=Order.add> <ref:Item=Item> <ref:free=Item.free>
    order
  end

  def self.dump(order) # <def:Shop.dump>
    JSON.generate(order.to_h) # <ref:JSON=!>
  end
end
